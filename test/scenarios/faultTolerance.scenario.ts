import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudEventHeaders as H } from '../../src/commands/cloudEvents.js';
import { Serde } from '../../src/serde/serde.js';
import { anotherService } from '../support/anotherService.js';
import { type AppProcess, appScript, spawnApp } from '../support/appProcess.js';
import { CommandResults } from '../support/commandResults.js';
import { readTopic } from '../support/readTopic.js';
import { tempDir } from '../support/tempDir.js';
import type { TestCluster } from '../support/testCluster.js';
import { application } from '../../topology/application.js';

/**
 * Failures that pass are waited out, as an operator sees them with the broker, the registry and
 * `kes app` as processes of their own:
 * - an instance started while the registry is down stays up (live), not ready, saying what it
 *   waits for, and becomes ready once the registry is back;
 * - commands written by another service with a newer version of their schema, which the instance
 *   has never seen, while the registry is down for 15 s, are all processed and accepted once it is
 *   back: nothing dead-lettered, nothing answered FAILED;
 * - a Kafka broker killed (SIGKILL) and started again under HTTP load: every answer is 200, 202 or
 *   503, and every command acknowledged (200, 202) is applied exactly once.
 */
export function faultToleranceScenario(startCluster: () => Promise<TestCluster>): void {
  let cluster: TestCluster;
  let kafka: Kafka;
  const dirs: ReturnType<typeof tempDir>[] = [];
  const apps = new Set<{ kill(): Promise<void> }>();

  beforeAll(async () => {
    cluster = await startCluster();
    kafka = cluster.kafka('fault-tolerance-test');
  });

  afterAll(async () => {
    for (const app of apps) await app.kill();
    await cluster?.stop();
    for (const dir of dirs) dir.remove();
  });

  const appOptions = (name: string) => {
    const dir = tempDir(`kes-faults-${name}-`);
    dirs.push(dir);
    return { brokers: cluster.bootstrap, registry: cluster.registryUrl, dataDir: dir.path, instanceId: name };
  };

  /** Each test's own instance, stopped gracefully at its end (leaving the group at once). */
  const withApp = async (name: string, body: (app: AppProcess) => Promise<void>) => {
    const app = await spawnApp(appOptions(name));
    apps.add(app);
    const stop = async () => {
      await app.stop();
      apps.delete(app);
    };
    try {
      await body(app);
    } catch (err) {
      await stop();
      throw err;
    }
    await stop();
    // And it stops by itself, all of it, in time (not cut short after a minute: exit code 1).
    expect(app.child.exitCode, 'the exit code of a graceful stop').toBe(0);
  };

  const post = async (url: string, type: string, data: unknown, key: string = randomUUID()) => {
    const reply = await fetch(`${url}/commands/${type}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(data),
    });
    return {
      status: reply.status,
      headers: reply.headers,
      body: (await reply.json()) as Record<string, unknown>,
    };
  };

  type Ready = { status: string; step?: string; waitingFor?: string; error?: string; waiting?: Waiting[] };
  type Waiting = { processor: string; partition: number; waitingFor: string };
  const readiness = async (url: string) => {
    const reply = await fetch(`${url}/health/ready`);
    return { status: reply.status, body: (await reply.json()) as Ready };
  };
  const until = async <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe().catch(() => undefined);
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
      await sleep(200);
    }
  };

  /** Where a command without a result got to: its record, its group's offset, its result and events. */
  const whereIs = async (commandId: string): Promise<string> => {
    const find = async (topic: string, match: (m: KafkaMessage) => boolean) =>
      (await readTopic(kafka, topic, { readUncommitted: true, timeoutMs: 60_000 }))
        .filter((r) => match(r.message))
        .map((r) => `${topic}:${r.partition}:${r.message.offset}`);
    const header = (name: string) => (m: KafkaMessage) => m.headers?.[name]?.toString() === commandId;
    const admin = kafka.admin();
    await admin.connect();
    const committed = await admin
      .fetchOffsets({ groupId: 'kes-accounts-commands', topics: ['accounts.commands'] })
      .finally(() => admin.disconnect());
    return JSON.stringify({
      command: await find('accounts.commands', header(H.id)),
      committed: committed[0]?.partitions.map((p) => `${p.partition}:${p.offset}`),
      resultsUncommitted: await find('kes.command-results', (m) => m.key?.toString() === commandId),
      resultsCommitted: (await readTopic(kafka, 'kes.command-results', { timeoutMs: 30_000 }).catch(() => []))
        .filter((r) => r.message.key?.toString() === commandId)
        .map((r) => `${r.partition}:${r.message.offset}`),
      eventsUncommitted: await find('accounts.events', header(H.causationId)),
    });
  };

  describe('fault tolerance', () => {
    it('starts with the registry down: live, not ready with the reason, ready once it is up', async () => {
      const registry = cluster.registry!;
      await registry.kill();
      const app = appScript({ ...appOptions('registry-down'), args: ['--http-port', '0'] });
      apps.add(app);
      try {
        const url = (await app.waitForLine((l) => typeof l.url === 'string', 120_000)).url as string;
        const live = await fetch(`${url}/health/live`);
        expect(live.status).toBe(200);
        // Not ready, and saying it waits for the registry after trying it.
        const waiting = await until('readiness waiting for the registry', async () => {
          const ready = await readiness(url);
          return ready.body.waitingFor === 'the schema registry' && ready.body.error ? ready : undefined;
        });
        expect(waiting.status).toBe(503);
        expect(waiting.body).toMatchObject({ status: 'STARTING', step: 'registering the schemas' });
        expect(waiting.body.error).toMatch(/ECONNREFUSED/);
        const early = await post(url, 'OpenAccount', {
          accountId: `down-${randomUUID()}`,
          ownerId: 'o',
          initialDeposit: 1,
          overdraftLimit: 0,
        });
        expect(early.status).toBe(503);
        expect(early.body.code).toBe('NOT_READY');
        expect(early.headers.get('retry-after')).toBeTruthy();
        // Still up (it did not exit), and ready once the registry is back.
        expect(app.child.exitCode).toBeNull();
        await registry.restart();
        await until('ready', async () => ((await readiness(url)).status === 200 ? true : undefined));
        const opened = await post(url, 'OpenAccount', {
          accountId: `up-${randomUUID()}`,
          ownerId: 'o',
          initialDeposit: 1,
          overdraftLimit: 0,
        });
        expect(opened.status).toBe(200);
      } finally {
        await registry.restart();
        await app.stop();
        apps.delete(app);
      }
    });

    it('waits out a 15 s registry outage: commands of a schema it never saw are all accepted, none dead-lettered', async () => {
      const COMMANDS = 20;
      const OUTAGE_MS = 15_000;
      const registry = cluster.registry!;
      // Another service, with a newer, compatible version of OpenAccount: one optional field more.
      const service = await anotherService(cluster.registryUrl);
      const client = new SchemaRegistry({ host: cluster.registryUrl });
      const serde = Serde.forApplication(application, client);
      const results = await CommandResults.follow(kafka, serde);
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      try {
        await withApp('registry-outage', async (app) => {
          // The test's own results reader knows the results' schema before the registry goes.
          const warm = randomUUID();
          expect((await post(app.url, 'OpenAccount', open(`warm-${warm}`), warm)).status).toBe(200);
          await results.waitFor(warm);
          await registry.kill();
          const killedAt = Date.now();
          const commands = Array.from({ length: COMMANDS }, (_, i) => ({
            commandId: randomUUID(),
            accountId: `outage-${i}-${randomUUID()}`,
          }));
          await producer.send({
            topic: 'accounts.commands',
            acks: -1,
            messages: commands.map(({ commandId, accountId }) => service.openAccount(commandId, accountId)),
          });
          // The instance reaches them and waits: readiness names the task and what it waits for.
          const waiting = await until('a task waiting for the registry', async () => {
            const ready = await readiness(app.url);
            const tasks = ready.body.waiting?.filter((w) => w.waitingFor === 'the schema registry');
            return tasks && tasks.length > 0 ? tasks : undefined;
          });
          expect(waiting[0]!.processor).toBe('accounts-commands');
          const metrics = await (await fetch(`${app.url}/metrics`)).text();
          expect(metrics).toMatch(
            /^kes_tasks_waiting\{processor="accounts-commands",waiting_for="the schema registry"\} [1-9]/m,
          );
          // The outage lasts its 15 s; meanwhile none of those commands has a result.
          const left = OUTAGE_MS - (Date.now() - killedAt);
          if (left > 0) await sleep(left);
          expect(commands.flatMap((c) => results.of(c.commandId))).toEqual([]);
          await registry.restart();
          for (const { commandId, accountId } of commands) {
            const result = await results.waitFor(commandId, { timeoutMs: 120_000 });
            expect(result).toMatchObject({ status: 'ACCEPTED', aggregateId: accountId, version: 1 });
          }
          expect(commands.flatMap((c) => results.of(c.commandId))).toHaveLength(COMMANDS);
          const deadLetters = await readTopic(kafka, 'accounts-commands.dlq');
          const ids = new Set<string>(commands.map((c) => c.commandId));
          expect(deadLetters.filter((r) => ids.has(r.message.headers?.[H.id]?.toString() ?? ''))).toEqual([]);
          const ready = await readiness(app.url);
          expect(ready.body.waiting ?? []).toEqual([]);
        });
      } finally {
        await registry.restart();
        await producer.disconnect();
        await results.stop();
      }
    });

    it('answers only 200, 202 and 503 while a broker is killed and restarted under HTTP load, and applies each acknowledged command once', async () => {
      const brokers = cluster.brokers!;
      const RATE = 40; // commands per second, open loop
      const SECONDS = 24;
      const ACCOUNTS = 8;
      await withApp('broker-killed', async (app) => {
        const accounts = Array.from({ length: ACCOUNTS }, () => `load-${randomUUID()}`);
        for (const accountId of accounts) {
          expect((await post(app.url, 'OpenAccount', open(accountId))).status).toBe(200);
        }
        const answers: { key: string; status: number; code?: unknown }[] = [];
        const inFlight: Promise<void>[] = [];
        const node = brokers.count > 1 ? 1 : 0;
        let killed: Promise<void> | undefined;
        let restarted: Promise<void> | undefined;
        const started = Date.now();
        for (let i = 0; i < RATE * SECONDS; i++) {
          // Open loop: each request at its time, whatever the answers before it.
          const due = started + (i * 1000) / RATE;
          if (due > Date.now()) await sleep(due - Date.now());
          const elapsed = Date.now() - started;
          if (!killed && elapsed >= 5000) killed = brokers.kill(node);
          if (killed && !restarted && elapsed >= 13_000) restarted = killed.then(() => brokers.restart(node));
          const key = randomUUID();
          inFlight.push(
            post(app.url, 'DepositMoney', { accountId: accounts[i % ACCOUNTS], amount: 1 }, key).then(
              (reply) => void answers.push({ key, status: reply.status, code: reply.body.code }),
              (err: unknown) => void answers.push({ key, status: 0, code: String(err) }),
            ),
          );
        }
        await Promise.all(inFlight);
        await restarted;
        const statuses = new Map<number, number>();
        for (const a of answers) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
        console.log(`answers while a broker was killed and restarted: ${JSON.stringify([...statuses])}`);
        expect(
          answers.filter((a) => ![200, 202, 503].includes(a.status)),
          JSON.stringify([...statuses]),
        ).toEqual([]);
        for (const a of answers.filter((x) => x.status === 503))
          expect(a.code).toMatch(/UNAVAILABLE|NOT_READY/);
        // Every acknowledged command applied once: its result, and one event caused by it.
        const serde = Serde.forApplication(application, new SchemaRegistry({ host: cluster.registryUrl }));
        const results = await CommandResults.follow(kafka, serde);
        try {
          const acknowledged = answers.filter((a) => a.status === 200 || a.status === 202);
          expect(acknowledged.length).toBeGreaterThan(RATE * SECONDS * 0.5);
          // Tasks whose broker went come back as KafkaJS's retries (up to 30 s apart) find it
          // again: one deadline for all, as long as a lost broker may take to be felt no more.
          const deadline = Date.now() + 240_000;
          for (const a of acknowledged) {
            const timeoutMs = Math.max(1, deadline - Date.now());
            const result = await results.waitFor(a.key, { timeoutMs }).catch(async (err: unknown) => {
              throw new Error(`${(err as Error).message}; ${await whereIs(a.key)}`);
            });
            expect(result).toMatchObject({ status: 'ACCEPTED' });
          }
        } finally {
          await results.stop();
        }
        const caused = new Map<string, number>();
        for (const { message } of await readTopic(kafka, 'accounts.events', { timeoutMs: 120_000 })) {
          const cause = message.headers?.[H.causationId]?.toString();
          if (cause) caused.set(cause, (caused.get(cause) ?? 0) + 1);
        }
        for (const a of answers) {
          const applied = caused.get(a.key) ?? 0;
          if (a.status === 503) expect(applied, a.key).toBeLessThanOrEqual(1);
          else expect(applied, `${a.key} answered ${a.status}`).toBe(1);
        }
      });
    });
  });
}

const open = (accountId: string) => ({ accountId, ownerId: 'owner', initialDeposit: 100, overdraftLimit: 0 });
