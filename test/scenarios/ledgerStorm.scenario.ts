import { setTimeout as sleep } from 'node:timers/promises';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Consumer, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandSender } from '../../src/commands/commandSender.js';
import type { CommandResult } from '../../src/commands/commandResult.js';
import { type AccountEvent, balanceChange } from '../../examples/ledger/accounts/accountEvents.js';
import { deciders } from '../../examples/domainCatalog.js';
import { SeededRandom } from '../../src/testing/seededRandom.js';
import {
  type AccountBalanceRow,
  accountBalancesView,
} from '../../examples/ledger/views/accountBalancesView.js';
import {
  type StatementRow,
  accountStatementsView,
} from '../../examples/ledger/views/accountStatementsView.js';
import { Serde } from '../../src/serde/serde.js';
import type { ViewEvent } from '../../src/views/viewEvent.js';
import { type AppProcess, spawnApp } from '../support/appProcess.js';
import { KesClient } from '../support/kesClient.js';
import { consumerLag, topologySubjects } from '../../src/ops/consumerLag.js';
import { topology } from '../../topology/index.js';
import { DeadLetterHeaders } from '../../src/processor/streamTask.js';
import { partitionEnds } from '../support/highWatermarks.js';
import { pool } from '../support/pool.js';
import { readTopic } from '../support/readTopic.js';
import { sendPatiently } from '../support/sendPatiently.js';
import { replayView } from '../support/replayView.js';
import { tempDir } from '../support/tempDir.js';
import type { TestCluster } from '../support/testCluster.js';
import { topicEvents } from '../support/topicEvents.js';
import { brokerOutage } from './brokerOutage.js';
import { application } from '../../topology/application.js';

export interface LedgerStormSize {
  readonly accounts: number;
  readonly operations: number;
}

/** One command of the storm, with the money it moves in or out of the bank if it is accepted. */
interface Operation {
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly commandId: string;
  /** Money entering (+) or leaving (−) the bank when accepted; 0 for transfers and closes. */
  readonly external: number;
}

const json = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * The bank ledger under a randomized storm: three `kes app` processes; accounts opened over
 * HTTP; then deposits, withdrawals, checks and transfers (some to closed or unknown accounts,
 * some repeated) produced to the commands topics — one in fifty sent over HTTP to a random
 * instance instead — while one instance is killed with SIGKILL midway (and, where the cluster's
 * brokers can be killed, a Kafka broker from a quarter to three quarters of the way). Afterwards: money is
 * conserved (the balances sum to what was deposited minus what was withdrawn, per the command
 * results), no event takes an account below its overdraft limit, every transfer is applied
 * exactly once or refunded, the views served by each survivor equal a replay of the events, each
 * statement's running balance ends at its balance, and the balance at a past time is the one
 * the events had then.
 */
export function ledgerStormScenario(
  startCluster: () => Promise<TestCluster>,
  size: LedgerStormSize = { accounts: 1000, operations: 50_000 },
): void {
  const SEED = 9041;
  const CHUNK = 2500;
  const HTTP_EVERY = 50;
  const rng = new SeededRandom(SEED);
  const routing = new SeededRandom(SEED + 1);
  const dirs = Array.from({ length: 3 }, () => tempDir('kes-ledger-e2e-'));
  const apps: AppProcess[] = [];
  let cluster: TestCluster;
  let serde: Serde;
  let sender: CommandSender;
  let client: KesClient;
  let producer: Producer;
  let resultsReader: Consumer;
  const results = new Map<string, CommandResult>();

  const accountIds = Array.from({ length: size.accounts }, (_, i) => `acc-${String(i).padStart(4, '0')}`);
  /** Opened with nothing and closed before the storm: transfers to them are refunded, from them declined. */
  const closed = accountIds.filter((_, i) => i % 40 === 7);
  /** Never opened. */
  const ghosts = Array.from({ length: 20 }, (_, i) => `ghost-${i}`);
  const open = accountIds.filter((id) => !closed.includes(id));
  const opening: Operation[] = accountIds.map((accountId, i) => {
    const initialDeposit = closed.includes(accountId) ? 0 : rng.int(0, 100_000);
    return {
      type: 'OpenAccount',
      data: {
        accountId,
        ownerId: `owner-${i % 97}`,
        initialDeposit,
        overdraftLimit: rng.pick([0, 0, 5000, 20_000]),
      },
      commandId: `open-${accountId}`,
      external: initialDeposit,
    };
  });

  function stormOperations(): Operation[] {
    const ops: Operation[] = [];
    const checks = new Map<string, number>();
    const transfers: Operation[] = [];
    for (let i = 0; i < size.operations; i++) {
      const commandId = `op-${i}`;
      const roll = rng.next();
      const accountId = rng.pick(open);
      if (roll < 0.5) {
        const r = rng.next();
        if (r < 0.03 && transfers.length > 0) {
          // The same transfer requested again (a client retrying with a new command id): applied once.
          const again = rng.pick(transfers);
          ops.push({ ...again, commandId });
          continue;
        }
        const from = r < 0.05 ? rng.pick(closed) : accountId;
        let to = r > 0.93 ? rng.pick(r > 0.965 ? ghosts : closed) : rng.pick(open);
        while (to === from) to = rng.pick(open);
        const op = {
          type: 'RequestTransfer',
          data: { transferId: `t-${i}`, fromAccountId: from, toAccountId: to, amount: rng.int(1, 20_000) },
          commandId,
          external: 0,
        };
        transfers.push(op);
        ops.push(op);
      } else if (roll < 0.72) {
        const amount = rng.int(1, 45_000);
        ops.push({ type: 'DepositMoney', data: { accountId, amount }, commandId, external: amount });
      } else if (roll < 0.92) {
        const amount = rng.int(1, 40_000);
        ops.push({ type: 'WithdrawMoney', data: { accountId, amount }, commandId, external: -amount });
      } else {
        const next = (checks.get(accountId) ?? 0) + 1;
        // Mostly the next check; now and then one used before (refused) or one further on.
        const checkNumber = rng.next() < 0.1 ? rng.int(1, next) : next + rng.int(0, 2);
        checks.set(accountId, Math.max(next, checkNumber));
        const amount = rng.int(1, 25_000);
        ops.push({
          type: 'WriteCheck',
          data: { accountId, checkNumber, amount },
          commandId,
          external: -amount,
        });
      }
    }
    return ops;
  }

  beforeAll(async () => {
    cluster = await startCluster();
    serde = Serde.forApplication(application, new SchemaRegistry({ host: cluster.registryUrl }));
    await serde.registerAll();
    sender = new CommandSender(serde, Object.values(deciders));
    const kafka = cluster.kafka('ledger-storm');
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    resultsReader = kafka.consumer({ groupId: `ledger-storm-results-${SEED}`, maxWaitTimeInMs: 100 });
    await resultsReader.connect();
    await resultsReader.subscribe({ topic: 'kes.command-results', fromBeginning: true });
    await resultsReader.run({
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          if (!message.value) continue;
          const result = (await serde.decode(message.value)).value as unknown as CommandResult;
          results.set(result.commandId, result);
        }
      },
    });
    const start = (i: number) =>
      spawnApp({
        brokers: cluster.bootstrap,
        registry: cluster.registryUrl,
        dataDir: dirs[i]!.path,
        instanceId: `ledger-${i}`,
      });
    apps.push(...(await Promise.all([0, 1, 2].map(start))));
    client = new KesClient(
      apps.map((app) => app.url),
      routing,
    );
  });

  afterAll(async () => {
    await resultsReader?.disconnect();
    await producer?.disconnect();
    for (const app of apps) await app.kill();
    await cluster?.stop();
    for (const d of dirs) d.remove();
  });

  const accepted = (op: Operation) => results.get(op.commandId)?.status === 'ACCEPTED';

  async function untilResults(ids: readonly string[], timeoutMs: number, pending = 0): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const missing = ids.filter((id) => !results.has(id)).length;
      if (missing <= pending) return;
      if (Date.now() > deadline) throw new Error(`${missing} of ${ids.length} commands have no result`);
      await sleep(200);
    }
  }

  async function produce(ops: readonly Operation[]): Promise<void> {
    const records = await Promise.all(
      ops.map(
        async (op) =>
          (await sender.prepare({ type: op.type, data: op.data, commandId: op.commandId })).record,
      ),
    );
    const byTopic = new Map<string, typeof records>();
    for (const r of records) {
      const batch = byTopic.get(r.topic) ?? [];
      batch.push(r);
      byTopic.set(r.topic, batch);
    }
    await sendPatiently(
      producer,
      {
        acks: -1,
        topicMessages: [...byTopic].map(([topic, rs]) => ({
          topic,
          messages: rs.map((r) => ({ key: r.key, value: r.value, headers: { ...r.headers } })),
        })),
      },
      { onRetry: (err) => console.log(JSON.stringify({ resending: ops.length, after: err.message })) },
    );
  }

  /** What a failure to settle leaves behind: every processor's lag, and what a few transfers got. */
  async function stuck(requests: readonly Operation[]) {
    const admin = cluster.kafka('ledger-diagnosis').admin();
    await admin.connect();
    try {
      const lags = (await consumerLag(admin, topologySubjects(topology))).filter((l) => l.lag > 0);
      const steps = ['debit', 'credit', 'settle', 'refund', 'complete', 'fail'];
      const transfers = requests.map(({ commandId, data }) => ({
        id: data.transferId,
        requested: results.get(commandId)?.status ?? null,
        steps: Object.fromEntries(
          steps.map((s) => [s, results.get(`${String(data.transferId)}:${s}`)?.status ?? null]),
        ),
      }));
      const kafka = cluster.kafka('ledger-diagnosis-reader');
      const deadLetters: Record<string, number> = {};
      for (const topic of topology.topics.filter((t) => t.name.endsWith('.dlq'))) {
        for (const { message } of await readTopic(kafka, topic.name)) {
          const error = message.headers?.[DeadLetterHeaders.error]?.toString().slice(0, 120);
          deadLetters[`${topic.name}: ${error}`] = (deadLetters[`${topic.name}: ${error}`] ?? 0) + 1;
        }
      }
      // Where each sampled transfer's messages are: every record naming it, by topic.
      const named = new Set(requests.map(({ data }) => String(data.transferId)));
      const trail: Record<string, string[]> = {};
      // The saga's state as its changelog has it (JSON, keyed by transfer id), each write in order.
      for (const { message } of await readTopic(kafka, 'money-transfers.changelog')) {
        const id = message.key?.toString();
        if (id === undefined || !named.has(id) || !message.value) continue;
        const state = JSON.parse(message.value.toString()) as { phase: string; declined: string | null };
        (trail[id] ??= []).push(`changelog @${message.offset}: ${state.phase} ${state.declined ?? ''}`);
      }
      for (const topic of ['transfers.commands', 'transfers.events']) {
        for (const { message } of await readTopic(kafka, topic)) {
          if (!message.value || !named.has(message.key?.toString() ?? '')) continue;
          const type = (await serde.decode(message.value)).type;
          (trail[message.key!.toString()] ??= []).push(
            `${topic} @${message.offset}: ${type.slice(type.lastIndexOf('.') + 1)}`,
          );
        }
      }
      for (const topic of ['accounts.commands', 'accounts.events', 'money-transfers.repartition']) {
        for (const { message, partition } of await readTopic(kafka, topic)) {
          if (!message.value) continue;
          const decoded = await serde.decode(message.value);
          const id = (decoded.value as { transferId?: string }).transferId;
          if (id === undefined || !named.has(id)) continue;
          const type = decoded.type.slice(decoded.type.lastIndexOf('.') + 1);
          (trail[id] ??= []).push(`${topic}:${partition} @${message.offset}: ${type}`);
        }
      }
      const readiness = await Promise.all(
        client.live().map(async (at) => {
          const { body } = await client.get<{ processors: Record<string, { ready: boolean }> }>(
            '/health/ready',
            { at },
          );
          const waiting = Object.entries(body.processors ?? {}).filter(([, p]) => !p.ready);
          return { at, waiting: waiting.map(([name]) => name) };
        }),
      );
      // A transaction left open holds the last stable offset back (read_committed readers wait):
      // the partitions whose high watermark is past it.
      const held: string[] = [];
      for (const topic of [
        'accounts.commands',
        'accounts.events',
        'money-transfers.repartition',
        'transfers.events',
      ]) {
        for (const { partition, high, stable } of await partitionEnds(kafka, topic)) {
          if (stable !== high) held.push(`${topic}:${partition} stable ${stable} high ${high}`);
        }
      }
      return { lags, deadLetters, held, transfers, trail, readiness };
    } finally {
      await admin.disconnect();
    }
  }

  describe(`the bank ledger: ${size.accounts} accounts, ${size.operations} operations, three instances, one killed`, () => {
    const storm: Operation[] = [];
    let accountEvents: ViewEvent[] = [];

    it('opens the accounts over HTTP, and closes some', async () => {
      await pool(opening, 16, async (op) => {
        const { reply } = await client.send({ type: op.type, data: op.data, key: op.commandId });
        expect(reply.status, JSON.stringify(reply.body)).toBe(200);
        if (!closed.includes(op.data.accountId as string)) return;
        const close = {
          type: 'CloseAccount',
          data: { accountId: op.data.accountId },
          key: `close-${op.data.accountId}`,
        };
        expect((await client.send(close)).reply.status).toBe(200);
      });
      await untilResults(
        opening.map((op) => op.commandId),
        30_000,
      );
      expect(opening.every(accepted)).toBe(true);
    });

    it('applies the storm exactly once while an instance is killed', async () => {
      storm.push(...stormOperations());
      const victim = rng.int(0, 2);
      const outage = brokerOutage(
        () => cluster,
        (count) => rng.int(0, count - 1),
      );
      const at = (fraction: number, from: number) =>
        from <= storm.length * fraction && storm.length * fraction < from + CHUNK;
      let resent = 0;
      const overHttp = storm.filter((_, i) => i % HTTP_EVERY === 0);
      const statuses: Record<string, number> = {};
      const http = pool(overHttp, 8, async (op) => {
        const { reply } = await client.send({ type: op.type, data: op.data, key: op.commandId });
        statuses[reply.status] = (statuses[reply.status] ?? 0) + 1;
      });
      for (let from = 0; from < storm.length; from += CHUNK) {
        const chunk = storm.slice(from, from + CHUNK).filter((_, i) => (from + i) % HTTP_EVERY !== 0);
        // And 1 % sent again, same command id, thousands of commands after the first: each is
        // answered with its first result and appends nothing (the money check would see it).
        const again =
          from === 0 ? [] : Array.from({ length: CHUNK / 100 }, () => storm[rng.int(0, from - 1)]!);
        resent += again.length;
        await produce([...chunk, ...again]);
        // Keep at most two chunks in flight, so the kill lands while the storm is being processed.
        await untilResults(
          storm.slice(0, from + CHUNK).map((op) => op.commandId),
          240_000,
          2 * CHUNK,
        );
        if (at(0.25, from)) await outage.begin();
        if (at(0.5, from)) {
          client.markDown(victim);
          await apps[victim]!.kill();
        }
        if (at(0.75, from)) await outage.end();
      }
      await outage.end();
      await http;
      await untilResults(
        storm.map((op) => op.commandId),
        300_000,
      );
      const outcomes: Record<string, number> = {};
      for (const op of storm) {
        const key = `${op.type} ${results.get(op.commandId)!.status}`;
        outcomes[key] = (outcomes[key] ?? 0) + 1;
      }
      console.log(
        JSON.stringify({
          seed: SEED,
          victim,
          broker: outage.node,
          http: statuses,
          outcomes,
          resent,
          retried: client.retried,
        }),
      );
      expect(resent).toBeGreaterThan(size.operations / 200);
      expect(Object.keys(statuses).filter((s) => s !== '200' && s !== '422')).toEqual([]);
      expect(outcomes['WithdrawMoney REJECTED']).toBeGreaterThan(0);
      const refusals = new Set(storm.map((op) => results.get(op.commandId)!.rejection?.code));
      expect(refusals).toContain('CHECK_NUMBER_USED');
      expect(refusals).toContain('INSUFFICIENT_FUNDS');
      expect(results.get(storm.find((op) => op.type === 'DepositMoney')!.commandId)?.status).toBe('ACCEPTED');
    });

    it('settles every transfer: applied exactly once, or refunded', async () => {
      const requests = new Map<string, Operation>();
      for (const op of storm)
        if (op.type === 'RequestTransfer') requests.set(op.data.transferId as string, op);
      // Every transfer settles through its saga: FailTransfer is accepted, or CompleteTransfer and
      // SettleTransfer are (the saga sends both at once, to two domains: each is decided by its
      // own task, so one may be answered before the other is).
      const isAccepted = (commandId: string) => results.get(commandId)?.status === 'ACCEPTED';
      const settled = (id: string) =>
        isAccepted(`${id}:fail`) || (isAccepted(`${id}:complete`) && isAccepted(`${id}:settle`));
      const deadline = Date.now() + 180_000;
      while ([...requests.keys()].some((id) => !settled(id)) && Date.now() < deadline) await sleep(500);
      const unsettled = [...requests.keys()].filter((id) => !settled(id));
      if (unsettled.length > 0)
        console.log(JSON.stringify(await stuck(unsettled.slice(0, 5).map((id) => requests.get(id)!))));
      expect(unsettled).toEqual([]);

      const kafka = cluster.kafka('ledger-oracle');
      accountEvents = (await topicEvents(kafka, serde, ['accounts.events'])).map((e) => e.event);
      const transferEvents = (await topicEvents(kafka, serde, ['transfers.events'])).map((e) => e.event);
      const byTransfer = new Map<string, string[]>();
      for (const e of [...transferEvents, ...accountEvents]) {
        const id = e.data.transferId as string | undefined;
        if (id !== undefined) byTransfer.set(id, [...(byTransfer.get(id) ?? []), e.type]);
      }
      expect([...byTransfer.keys()].filter((id) => !requests.has(id))).toEqual([]);
      const count = (types: readonly string[], type: string) => types.filter((t) => t === type).length;
      const tally: Record<string, number> = {};
      const wrong: unknown[] = [];
      for (const [id, op] of requests) {
        const types = byTransfer.get(id) ?? [];
        const c = (type: string) => count(types, type);
        const shape =
          c('TransferRequested') === 1 && c('TransferDebited') === 1 && c('TransferCredited') === 1
            ? c('TransferCompleted') === 1 && c('TransferSettled') === 1 && types.length === 5 && 'completed'
            : c('TransferRequested') === 1 && c('TransferDebited') === 1 && c('TransferCreditDeclined') === 1
              ? c('TransferRefunded') === 1 && c('TransferFailed') === 1 && types.length === 5 && 'refunded'
              : c('TransferRequested') === 1 && c('TransferDebitDeclined') === 1
                ? c('TransferFailed') === 1 && types.length === 3 && 'declined'
                : false;
        if (!shape) wrong.push({ id, types, request: op.data });
        else tally[shape] = (tally[shape] ?? 0) + 1;
      }
      expect(wrong).toEqual([]);
      // Each path was taken, and every repeated request was answered without a second transfer.
      expect(tally.completed).toBeGreaterThan(size.operations / 10);
      expect(tally.refunded).toBeGreaterThan(10);
      expect(tally.declined).toBeGreaterThan(10);
      // A transfer requested twice (or more) was requested once: one request appended its event.
      const asked = new Map<string, Operation[]>();
      for (const op of storm.filter((o) => o.type === 'RequestTransfer')) {
        asked.set(op.data.transferId as string, [...(asked.get(op.data.transferId as string) ?? []), op]);
      }
      const repeated = [...asked.values()].filter((ops) => ops.length > 1);
      expect(repeated.length).toBeGreaterThan(10);
      for (const ops of repeated) {
        const answers = ops.map((op) => results.get(op.commandId)!);
        expect(answers.map((r) => r.status)).toEqual(ops.map(() => 'ACCEPTED'));
        expect(answers.map((r) => r.eventCount).sort()).toEqual([...ops.map(() => 0).slice(1), 1]);
      }
      console.log(JSON.stringify({ transfers: tally, repeated: repeated.length }));
    });

    it('conserves money and keeps every account within its overdraft at every event', () => {
      const deposited = [...opening, ...storm].filter(accepted).reduce((sum, op) => sum + op.external, 0);
      const balances = new Map<string, { balance: number; limit: number; version: number }>();
      const problems: string[] = [];
      let overdrawn = 0;
      for (const e of accountEvents) {
        const event = { type: e.type, data: e.data } as AccountEvent;
        const account = balances.get(e.aggregateId) ?? { balance: 0, limit: 0, version: 0 };
        if (e.sequence !== account.version + 1)
          problems.push(`${e.aggregateId} v${e.sequence} after v${account.version}`);
        account.version = e.sequence;
        if (event.type === 'AccountOpened') account.limit = event.data.overdraftLimit;
        account.balance += balanceChange(event);
        if (account.balance < 0) overdrawn++;
        const said = (event.data as { balance?: number }).balance;
        if (said !== undefined && said !== account.balance)
          problems.push(`${e.aggregateId} v${e.sequence} says ${said}, is ${account.balance}`);
        if (account.balance < -account.limit)
          problems.push(`${e.aggregateId} v${e.sequence}: ${account.balance} below -${account.limit}`);
        balances.set(e.aggregateId, account);
      }
      expect(problems).toEqual([]);
      const total = [...balances.values()].reduce((sum, a) => sum + a.balance, 0);
      expect(total).toBe(deposited);
      // The overdrafts were used: some event took an account below zero.
      expect(overdrawn).toBeGreaterThan(0);
    });

    it('serves balances and statements from each survivor as a replay of the events has them', async () => {
      const expectedBalances = json(
        replayView(accountBalancesView, accountEvents).sort((a, b) => (a.accountId < b.accountId ? -1 : 1)),
      );
      const statements = new Map<string, StatementRow[]>();
      for (const row of json(replayView(accountStatementsView, accountEvents))) {
        statements.set(row.accountId, [...(statements.get(row.accountId) ?? []), row]);
      }
      for (const rows of statements.values()) rows.sort((a, b) => a.sequence - b.sequence);
      const survivors = client.live();
      // The views catch up with the events: poll the balances, then assert.
      const deadline = Date.now() + 60_000;
      let served: AccountBalanceRow[];
      for (;;) {
        served = await client.all<AccountBalanceRow>('/views/account-balances?limit=170', {
          at: survivors[0]!,
        });
        if (JSON.stringify(served) === JSON.stringify(expectedBalances) || Date.now() > deadline) break;
        await sleep(1000);
      }
      expect(served).toEqual(expectedBalances);
      expect(served.length).toBe(size.accounts);
      expect(
        await client.all<AccountBalanceRow>('/views/account-balances?limit=333', { at: survivors[1]! }),
      ).toEqual(expectedBalances);
      const mismatches: unknown[] = [];
      let lines = 0;
      await pool(expectedBalances, 12, async (balance, i) => {
        const at = survivors[i % survivors.length]!;
        const rows = await client.all<StatementRow>(
          `/views/account-statements?accountId=${balance.accountId}&limit=40`,
          { at },
        );
        lines += rows.length;
        if (JSON.stringify(rows) !== JSON.stringify(statements.get(balance.accountId))) {
          mismatches.push({ account: balance.accountId, at, served: rows.length });
        }
        // The running balance: each line adds its amount to the one before, the last is the balance.
        const running = rows.every(
          (row, n) => row.balance === (n === 0 ? 0 : rows[n - 1]!.balance) + row.amount,
        );
        if (!running || rows.at(-1)?.balance !== balance.balance) {
          mismatches.push({
            account: balance.accountId,
            running,
            last: rows.at(-1)?.balance,
            balance: balance.balance,
          });
        }
      });
      expect(mismatches).toEqual([]);
      expect(lines).toBeGreaterThan(size.operations / 2);
    });

    it('answers the balance of an account at a past time as the events had it then', async () => {
      const sample = Array.from({ length: 12 }, () => rng.pick(open));
      for (const accountId of sample) {
        const mine = accountEvents.filter((e) => e.aggregateId === accountId);
        const at = rng.pick(mine).time;
        const then = mine
          .filter((e) => e.time <= at)
          .reduce((sum, e) => sum + balanceChange({ type: e.type, data: e.data } as AccountEvent), 0);
        const reply = await client.get<{ state: { balance: number } }>(
          `/aggregates/accounts/${accountId}?at=${new Date(at).toISOString()}`,
          { at: routing.pick(client.live()) },
        );
        expect(reply.status).toBe(200);
        expect(reply.body.state.balance).toBe(then);
      }
    });
  });
}
