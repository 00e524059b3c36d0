/**
 * Command latency against history length: an account aggregate's state is kept as a snapshot in
 * its store (changelog: the compacted accounts.aggregates), so a command to an account with a long
 * history costs what a command to a fresh one does. On one embedded broker (its own process), the
 * registry in this process and `kes app --processors accounts-commands` (HTTP API on) in its own:
 *
 * - history: account "long" opened over HTTP, then `--events` DepositMoney commands pre-produced
 *   to accounts.commands (encoded by CommandSender, in batches) and waited for until the command
 *   handler's group has committed them all (its offsets polled every 500 ms); prior_events is the
 *   account's history length then (its AccountOpened and the deposits), history_build_s the time
 *   from the first send until all are committed (produce_s of it the sending).
 * - fresh_* / long_*: POST /commands/DepositMoney (which answers once the result is read back from
 *   kes.command-results) from this process, one request in flight at a time, timed to its 200.
 *   Pairs of samples: a fresh account is opened (untimed), then a deposit to it and one to "long"
 *   are timed, their order alternating from pair to pair, so that machine noise hits both alike.
 *   The fresh accounts are on the partition of "long": the same task decides both. A warm-up of
 *   `--warmup` pairs is not counted. ratio_p99 = long_p99_ms / fresh_p99_ms (aim: about 1).
 * - long_version_start / long_version_end: the version "long" answered at the first warm-up deposit
 *   (prior_events + 1, checked) and at the last measured one.
 *
 * Options: --events <n> prior deposits of "long" (default 100000), --samples <n> measured
 * deposits per account kind (default 500), --warmup <n> pairs (default 50).
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { CommandSender } from '../../src/commands/commandSender.js';
import { deciders } from '../../examples/domainCatalog.js';
import { partitionForKey } from '../../src/processor/partitioner.js';
import { Serde } from '../../src/serde/serde.js';
import { applyTopology } from '../../src/topology/applyTopology.js';
import { PARTITIONS, topology } from '../../topology/index.js';
import { type AppProcess, spawnApp } from '../support/appProcess.js';
import { startBenchStack, stopGracefully } from './support/benchStack.js';
import { application } from '../../topology/application.js';

const COMMANDS = 'accounts.commands';
const GROUP = `${topology.applicationId}-accounts-commands`;
const LONG = 'long';
const SEND_RECORDS = 1000;
const SENDS_IN_FLIGHT = 4;
const BUILD_TIMEOUT_MS = 15 * 60_000;

export async function main(args: string[]): Promise<Record<string, unknown>> {
  const option = (name: string, fallback: number) =>
    args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback;
  const events = option('--events', 100_000);
  const samples = option('--samples', 500);
  const warmup = option('--warmup', 50);
  for (const [name, value] of Object.entries({ events, samples, warmup })) {
    if (!Number.isSafeInteger(value) || value < (name === 'warmup' ? 0 : 1)) {
      throw new Error(`--${name} must be a whole number${name === 'warmup' ? '' : ' above 0'}`);
    }
  }
  const loadAtStart = Math.round(os.loadavg()[0]! * 100) / 100;
  const stack = await startBenchStack('history');
  try {
    const { broker, registry } = stack;
    const kafka = new Kafka({
      clientId: 'bench-history',
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

    const app = await spawnApp({
      brokers: broker.bootstrap,
      registry: registry.url,
      dataDir: path.join(stack.dir, 'app'),
      instanceId: 'bench',
      args: ['--processors', 'accounts-commands'],
    });
    stack.defer(() => stopGracefully(app));
    log(`kes app: ${app.url}`);

    const opened = await openAccount(app, LONG);
    if (opened !== 1) throw new Error(`account ${LONG} opened at version ${opened}`);
    const build = await buildHistory(kafka, admin, sender, app, events);
    log(
      `history: ${events} deposits committed in ${Math.round(build.ms)} ms ` +
        `(${rate(events, build.ms)}/s; sent in ${Math.round(build.produceMs)} ms)`,
    );
    const priorEvents = events + 1;

    const longPartition = partitionForKey(LONG, PARTITIONS);
    const freshIds = (function* () {
      for (let i = 0; ; i++) {
        const id = `fresh-${i}`;
        if (partitionForKey(id, PARTITIONS) === longPartition) yield id;
      }
    })();
    const fresh: number[] = [];
    const long: number[] = [];
    let longVersionStart = 0;
    let longVersionEnd = 0;
    const measureStarted = performance.now();
    for (let pair = 0; pair < warmup + samples; pair++) {
      const freshId = freshIds.next().value!;
      if ((await openAccount(app, freshId)) !== 1) throw new Error(`account ${freshId} not fresh`);
      const timeLong = async () => {
        const { ms, version } = await deposit(app, LONG);
        if (pair === 0) {
          longVersionStart = version;
          if (version !== priorEvents + 1) {
            throw new Error(`account ${LONG} at version ${version}, expected ${priorEvents + 1}`);
          }
        }
        longVersionEnd = version;
        if (pair >= warmup) long.push(ms);
      };
      const timeFresh = async () => {
        const { ms, version } = await deposit(app, freshId);
        if (version !== 2) throw new Error(`fresh account ${freshId} at version ${version}`);
        if (pair >= warmup) fresh.push(ms);
      };
      if (pair % 2 === 0) {
        await timeLong();
        await timeFresh();
      } else {
        await timeFresh();
        await timeLong();
      }
      if ((pair + 1) % 100 === 0) log(`${pair + 1}/${warmup + samples} pairs`);
    }
    const measureMs = performance.now() - measureStarted;
    const f = percentiles(fresh);
    const l = percentiles(long);
    log(`fresh ${JSON.stringify(f)}, long ${JSON.stringify(l)} in ${Math.round(measureMs)} ms`);
    return {
      broker: broker.label,
      prior_events: priorEvents,
      samples,
      warmup_pairs: warmup,
      fresh_p50_ms: f.p50,
      fresh_p99_ms: f.p99,
      fresh_max_ms: f.max,
      long_p50_ms: l.p50,
      long_p99_ms: l.p99,
      long_max_ms: l.max,
      ratio_p50: Math.round((l.p50 / f.p50) * 100) / 100,
      ratio_p99: Math.round((l.p99 / f.p99) * 100) / 100,
      long_version_start: longVersionStart,
      long_version_end: longVersionEnd,
      history_build_s: seconds(build.ms),
      history_eps: rate(events, build.ms),
      produce_s: seconds(build.produceMs),
      measure_s: seconds(measureMs),
      partition: longPartition,
      cpus: os.availableParallelism(),
      load_avg_1m: loadAtStart,
    };
  } finally {
    await stack.close();
  }
}

/**
 * `events` DepositMoney commands to "long", encoded as CommandSender does, sent in batches
 * (a few in flight), then waited for: until the command handler's group has committed them all.
 */
async function buildHistory(
  kafka: Kafka,
  admin: Admin,
  sender: CommandSender,
  app: AppProcess,
  events: number,
): Promise<{ ms: number; produceMs: number }> {
  const started = performance.now();
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  const inFlight = new Set<Promise<unknown>>();
  try {
    for (let from = 0; from < events; from += SEND_RECORDS) {
      const prepared = await Promise.all(
        Array.from({ length: Math.min(SEND_RECORDS, events - from) }, () =>
          sender.prepare({ type: 'DepositMoney', data: { accountId: LONG, amount: 1 } }),
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
  const produceMs = performance.now() - started;

  const ends = new Map((await admin.fetchTopicOffsets(COMMANDS)).map((p) => [p.partition, Number(p.high)]));
  let lastLog = performance.now();
  for (;;) {
    if (app.child.exitCode !== null) throw new Error(`kes app exited with ${app.child.exitCode}`);
    const [offsets] = await admin.fetchOffsets({ groupId: GROUP, topics: [COMMANDS] });
    const behind = offsets!.partitions.reduce(
      (sum, p) => sum + Math.max(0, (ends.get(p.partition) ?? 0) - Math.max(0, Number(p.offset))),
      0,
    );
    if (behind === 0) return { ms: performance.now() - started, produceMs };
    if (performance.now() - started > BUILD_TIMEOUT_MS) {
      throw new Error(`history not committed within ${BUILD_TIMEOUT_MS} ms (${behind} behind)`);
    }
    if (performance.now() - lastLog > 5000) {
      log(`history: ${events - behind}/${events} committed`);
      lastLog = performance.now();
    }
    await sleep(500);
  }
}

/** POST /commands/<type>, answered 200: its time and the aggregate's version. */
async function command(
  app: AppProcess,
  type: string,
  body: Record<string, unknown>,
): Promise<{ ms: number; version: number }> {
  const started = performance.now();
  const response = await fetch(`${app.url}/commands/${type}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as { version?: number };
  const ms = performance.now() - started;
  if (response.status !== 200) {
    throw new Error(`POST /commands/${type}: ${response.status} ${JSON.stringify(answer)}`);
  }
  return { ms, version: Number(answer.version) };
}

async function openAccount(app: AppProcess, accountId: string): Promise<number> {
  const body = { accountId, ownerId: `owner-${accountId}`, initialDeposit: 1000, overdraftLimit: 0 };
  return (await command(app, 'OpenAccount', body)).version;
}

function deposit(app: AppProcess, accountId: string): Promise<{ ms: number; version: number }> {
  return command(app, 'DepositMoney', { accountId, amount: 1 });
}

function percentiles(values: readonly number[]): { p50: number; p99: number; max: number } {
  const sorted = [...values].sort((x, y) => x - y);
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
  return { p50: at(0.5), p99: at(0.99), max: round(sorted.at(-1)!) };
}

const round = (ms: number) => Math.round(ms * 100) / 100;
const rate = (n: number, ms: number) => Math.round((n * 1000) / ms);
const seconds = (ms: number) => Math.round(ms) / 1000;
const log = (message: string) => console.error(`history bench: ${message}`);
