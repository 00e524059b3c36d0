/**
 * What remembering command results costs: the accounts command handler's store and its restore
 * after `--commands` deposits (default 1,200,000: ten minutes at 2,000 commands/s), spread over
 * 200 accounts, once per idempotency window:
 *
 * - `default`: results remembered 24 hours (every result of the run is remembered);
 * - `max_<n>`: at most `--max-results` (default 10,000) per partition of accounts.commands.
 *
 * Each window runs on a stack of its own (broker in its own process, registry here) with
 * `kes app --processors accounts-commands` in its own. The deposits are pre-produced (encoded as
 * CommandSender does) and waited for until the handler's group has committed them all. Then:
 * store_mb (the handler's LevelDB directories on disk), changelog_records (records written to
 * accounts.aggregates), and the instance started again without its data directory: restore_s
 * (from its "assigned" line to its last "restored store" line), restored_records, ready_s (from
 * the process start to ready).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { CommandSender } from '../../src/commands/commandSender.js';
import { deciders } from '../../examples/domainCatalog.js';
import { Serde } from '../../src/serde/serde.js';
import { applyTopology } from '../../src/topology/applyTopology.js';
import { topology } from '../../topology/index.js';
import { appScript, spawnApp } from '../support/appProcess.js';
import type { ScriptProcess } from '../support/spawnScript.js';
import { startBenchStack, stopGracefully } from './support/benchStack.js';
import { application } from '../../topology/application.js';

const COMMANDS = 'accounts.commands';
const CHANGELOG = 'accounts.aggregates';
const GROUP = `${topology.applicationId}-accounts-commands`;
const ACCOUNTS = 200;
const SEND_RECORDS = 1000;
const SENDS_IN_FLIGHT = 4;

export async function main(args: string[]): Promise<Record<string, unknown>> {
  const option = (name: string, fallback: number) =>
    args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback;
  const commands = option('--commands', 1_200_000);
  const maxResults = option('--max-results', 10_000);
  const result: Record<string, unknown> = { commands, accounts: ACCOUNTS };
  for (const [label, extra] of [
    ['default', []],
    [`max_${maxResults}`, ['--idempotency-max-results', String(maxResults)]],
  ] as const) {
    result[label] = await run(commands, [...extra]);
    log(`${label}: ${JSON.stringify(result[label])}`);
  }
  return result;
}

async function run(commands: number, extra: string[]): Promise<Record<string, number>> {
  const stack = await startBenchStack('idempotency');
  try {
    const { broker, registry } = stack;
    const kafka = new Kafka({
      clientId: 'bench-idempotency',
      brokers: broker.brokers,
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    stack.defer(() => admin.disconnect());
    await applyTopology(admin, topology);
    const serde = Serde.forApplication(application, new SchemaRegistry({ host: registry.url }));
    await serde.registerAll();
    const sender = new CommandSender(serde, Object.values(deciders));
    const dataDir = path.join(stack.dir, 'app');
    const args = ['--processors', 'accounts-commands', ...extra];
    const app = await spawnApp({
      brokers: broker.bootstrap,
      registry: registry.url,
      dataDir,
      instanceId: 'bench',
      args,
    });
    stack.defer(() => stopGracefully(app));
    for (let i = 0; i < ACCOUNTS; i++) {
      const reply = await fetch(`${app.url}/commands/OpenAccount`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          accountId: `a-${i}`,
          ownerId: `o-${i}`,
          initialDeposit: 0,
          overdraftLimit: 0,
        }),
      });
      if (reply.status !== 200) throw new Error(`OpenAccount: ${reply.status} ${await reply.text()}`);
    }
    const started = performance.now();
    await produceDeposits(kafka, sender, commands);
    await committed(admin, () => app.child.exitCode);
    const processMs = performance.now() - started;
    await stopGracefully(app);
    const storeBytes = sizeOf(path.join(dataDir, 'accounts-commands'));
    const changelogRecords = await recordsIn(admin, CHANGELOG);

    // Again without its data directory: every store restored from the changelog.
    fs.rmSync(dataDir, { recursive: true, force: true });
    const spawnedAt = Date.now();
    const again: ScriptProcess = appScript({
      brokers: broker.bootstrap,
      registry: registry.url,
      dataDir,
      instanceId: 'bench',
      args: ['--no-http', ...args],
      logLevel: 'debug',
    });
    stack.defer(() => stopGracefully(again));
    const ready = await again.waitForLine((line) => line.msg === 'ready: every task restored', 600_000);
    const assigned = again.lines.find((l) => l.msg === 'assigned');
    const restored = again.lines.filter((l) => l.msg === 'restored store');
    if (!assigned || restored.length === 0) throw new Error('kes app logged no assignment or restore');
    return {
      process_s: seconds(processMs),
      store_mb: Math.round((storeBytes / 2 ** 20) * 10) / 10,
      changelog_records: changelogRecords,
      restore_s: seconds(Math.max(...restored.map((l) => Number(l.time))) - Number(assigned.time)),
      restored_records: restored.reduce((sum, l) => sum + Number(l.restored), 0),
      ready_s: seconds(Number(ready.time) - spawnedAt),
    };
  } finally {
    await stack.close();
  }
}

/** Deposits of 1 spread over the accounts, encoded as CommandSender does, a few batches in flight. */
async function produceDeposits(kafka: Kafka, sender: CommandSender, commands: number): Promise<void> {
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  const inFlight = new Set<Promise<unknown>>();
  try {
    for (let from = 0; from < commands; from += SEND_RECORDS) {
      const prepared = await Promise.all(
        Array.from({ length: Math.min(SEND_RECORDS, commands - from) }, (_, i) =>
          sender.prepare({
            type: 'DepositMoney',
            data: { accountId: `a-${(from + i) % ACCOUNTS}`, amount: 1 },
          }),
        ),
      );
      const sent = producer.send({
        topic: COMMANDS,
        acks: -1,
        messages: prepared.map(({ record }) => ({
          key: record.key,
          value: record.value,
          headers: { ...record.headers },
        })),
      });
      inFlight.add(sent);
      void sent.finally(() => inFlight.delete(sent)).catch(() => undefined);
      if (inFlight.size >= SENDS_IN_FLIGHT) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  } finally {
    await producer.disconnect();
  }
}

/** Until the handler's group has committed the end of every partition of the commands topic. */
async function committed(admin: Admin, exitCode: () => number | null): Promise<void> {
  const ends = new Map((await admin.fetchTopicOffsets(COMMANDS)).map((p) => [p.partition, Number(p.high)]));
  let lastLog = performance.now();
  for (;;) {
    if (exitCode() !== null) throw new Error(`kes app exited with ${exitCode()}`);
    const [offsets] = await admin.fetchOffsets({ groupId: GROUP, topics: [COMMANDS] });
    const behind = offsets!.partitions.reduce(
      (sum, p) => sum + Math.max(0, (ends.get(p.partition) ?? 0) - Math.max(0, Number(p.offset))),
      0,
    );
    if (behind === 0) return;
    if (performance.now() - lastLog > 10_000) {
      log(`${behind} commands to go`);
      lastLog = performance.now();
    }
    await sleep(500);
  }
}

async function recordsIn(admin: Admin, topic: string): Promise<number> {
  return (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
}

function sizeOf(dir: string): number {
  let bytes = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) bytes += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return bytes;
}

const seconds = (ms: number) => Math.round(ms) / 1000;
const log = (message: string) => console.error(`idempotency bench: ${message}`);
