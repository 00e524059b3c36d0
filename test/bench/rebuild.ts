/**
 * Read-side rebuild and restore, on one embedded broker (its own process) with the registry in
 * this process and the application as `kes app --processors products-view --no-http` in its own:
 *
 * - rebuild_eps: `--events` ProductAdded events (distinct products, encoded and keyed as the
 *   command handler writes them) pre-produced to stock.events, replayed into the products view by
 *   a fresh instance; timed from its "ready" line (tasks restored from empty stores, processing
 *   starts) until the group's committed offsets reach the end of stock.events (polled every
 *   200 ms). rebuild_total_s also counts the process start.
 * - restore_rps: the instance stopped, its data directory deleted and started again; the records
 *   restored from products-view.changelog (its debug "restored store" lines) per second, from its
 *   "assigned" line to the last store restored. restore_total_s counts from the process start to
 *   its "ready" line.
 * - baseline_consume_eps: a raw KafkaJS consumer reading all of stock.events from the start with
 *   the app's consumer settings and doing nothing with the records; ratio_rebuild and
 *   ratio_restore are against it (machines are noisy: compare ratios across runs).
 *
 * Options: --events <n> (default 1000000). KES_CHILD_NODE_ARGS='--cpu-prof' profiles the app and
 * KES_BENCH_BROKER_PROFILE_DIR=<dir> the broker.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { type Admin, Kafka, logLevel, type Message } from 'kafkajs';
import pino from 'pino';
import { cloudEventHeaders } from '../../src/commands/cloudEvents.js';
import { partitionForKey } from '../../src/processor/partitioner.js';
import { startRegistry } from '../../src/registry/index.js';
import { Serde } from '../../src/serde/serde.js';
import { applyTopology } from '../../src/topology/applyTopology.js';
import { PARTITIONS, topology } from '../../topology/index.js';
import { appScript } from '../support/appProcess.js';
import type { ScriptProcess } from '../support/spawnScript.js';
import { tempDir } from '../support/tempDir.js';
import { startBenchKafka } from './support/benchKafka.js';
import { application } from '../../topology/application.js';

const EVENTS = 'stock.events';
const CHANGELOG = 'products-view.changelog';
const GROUP = `${topology.applicationId}-products-view`;
const SEND_RECORDS = 10_000;
const SENDS_IN_FLIGHT = 4;

export async function main(args: string[]): Promise<Record<string, unknown>> {
  const events = Number(args[args.indexOf('--events') + 1] || 0) || 1_000_000;
  const dir = tempDir('kes-bench-rebuild-');
  try {
    return await withBroker(dir.path, events);
  } finally {
    dir.remove();
  }
}

async function withBroker(dirPath: string, events: number): Promise<Record<string, unknown>> {
  const broker = await startBenchKafka(dirPath);
  try {
    return {
      broker: broker.label,
      ...(await withRegistry(broker.brokers, path.join(dirPath, 'app'), events)),
    };
  } finally {
    await broker.stop();
  }
}

async function withRegistry(
  brokers: string[],
  dataDir: string,
  events: number,
): Promise<Record<string, unknown>> {
  const registry = await startRegistry({ port: 0, brokers, logger: pino({ level: 'silent' }) });
  const kafka = new Kafka({ clientId: 'bench-rebuild', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const env = { kafka, admin, bootstrap: brokers.join(','), registryUrl: registry.url, dataDir };
  try {
    await admin.connect();
    await applyTopology(admin, topology);
    const serde = Serde.forApplication(application, new SchemaRegistry({ host: registry.url }));
    await serde.registerAll();
    const produceMs = await timed(() => produceEvents(kafka, serde, events));
    log(`produced ${events} events in ${Math.round(produceMs)} ms (${rate(events, produceMs)}/s)`);
    const ends = await endOffsets(admin, EVENTS);

    const baselineMs = await consumeAll(kafka, events);
    log(`baseline: consumed ${events} events in ${Math.round(baselineMs)} ms`);

    const rebuild = await rebuildView(env, ends);
    log(
      `rebuild: ${events} events in ${Math.round(rebuild.ms)} ms (${Math.round(rebuild.totalMs)} ms with start)`,
    );

    const restore = await restoreView(env);
    log(
      `restore: ${restore.records} records in ${Math.round(restore.ms)} ms (${Math.round(restore.totalMs)} ms with start)`,
    );

    const baselineEps = rate(events, baselineMs);
    const rebuildEps = rate(events, rebuild.ms);
    const restoreRps = rate(restore.records, restore.ms);
    return {
      events,
      rebuild_eps: rebuildEps,
      restore_rps: restoreRps,
      baseline_consume_eps: baselineEps,
      ratio_rebuild: ratio(rebuildEps, baselineEps),
      ratio_restore: ratio(restoreRps, baselineEps),
      rebuild_s: seconds(rebuild.ms),
      rebuild_total_s: seconds(rebuild.totalMs),
      restore_s: seconds(restore.ms),
      restore_total_s: seconds(restore.totalMs),
      restored_records: restore.records,
      changelog_records: restore.changelogRecords,
      produce_s: seconds(produceMs),
    };
  } finally {
    await admin.disconnect();
    await registry.close();
  }
}

interface Env {
  kafka: Kafka;
  admin: Admin;
  bootstrap: string;
  registryUrl: string;
  dataDir: string;
}

/**
 * ProductAdded for products p-0…p-<n-1>, as the stock command handler writes them: Avro value,
 * CloudEvents headers, keyed by product id on the partition Kafka's partitioner picks.
 */
async function produceEvents(kafka: Kafka, serde: Serde, n: number): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  const time = Date.now();
  const batch = async (from: number): Promise<Message[]> =>
    Promise.all(
      Array.from({ length: Math.min(SEND_RECORDS, n - from) }, async (_, i) => {
        const productId = `p-${from + i}`;
        return {
          key: productId,
          partition: partitionForKey(productId, PARTITIONS),
          value: await serde.encode(EVENTS, 'kes.stock.ProductAdded', {
            productId,
            name: `Product ${from + i}`,
            initialStock: 100,
          }),
          headers: cloudEventHeaders({
            id: randomUUID(),
            type: 'kes.stock.ProductAdded',
            source: '/stock',
            subject: productId,
            time,
            sequence: 1,
            correlationId: randomUUID(),
            causationId: randomUUID(),
          }),
        };
      }),
    );
  const inFlight = new Set<Promise<unknown>>();
  try {
    for (let from = 0; from < n; from += SEND_RECORDS) {
      const sent = producer.send({ topic: EVENTS, acks: -1, messages: await batch(from) });
      inFlight.add(sent);
      void sent.finally(() => inFlight.delete(sent)).catch(() => undefined);
      if (inFlight.size >= SENDS_IN_FLIGHT) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  } finally {
    await producer.disconnect();
  }
}

/** Milliseconds for a raw consumer (the app's settings, no processing) to read `n` records of stock.events. */
async function consumeAll(kafka: Kafka, n: number): Promise<number> {
  const consumer = kafka.consumer({
    groupId: 'bench-baseline',
    readUncommitted: false,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  await consumer.subscribe({ topic: EVENTS, fromBeginning: true });
  let consumed = 0;
  let started = 0;
  try {
    return await new Promise<number>((resolve, reject) => {
      consumer
        .run({
          autoCommit: false,
          partitionsConsumedConcurrently: 8,
          eachBatch: async ({ batch }) => {
            if (started === 0) started = performance.now();
            consumed += batch.messages.length;
            if (consumed >= n) resolve(performance.now() - started);
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
}

/** A fresh instance replays stock.events into the view: from its ready line until its offsets reach `ends`. */
async function rebuildView(env: Env, ends: Map<number, bigint>): Promise<{ ms: number; totalMs: number }> {
  const spawnedAt = Date.now();
  const app = startApp(env);
  try {
    const ready = await app.waitForLine((line) => line.msg === 'ready: every task restored', 120_000);
    const readyAt = Number(ready.time);
    for (;;) {
      if (app.child.exitCode !== null) throw new Error(`kes app exited with ${app.child.exitCode}`);
      const [offsets] = await env.admin.fetchOffsets({ groupId: GROUP, topics: [EVENTS] });
      const caughtUp = offsets!.partitions.every((p) => BigInt(p.offset) >= (ends.get(p.partition) ?? 0n));
      if (caughtUp) return { ms: Date.now() - readyAt, totalMs: Date.now() - spawnedAt };
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await app.stop();
  }
}

/**
 * The instance again, without its data directory: every store restored from the changelog.
 * Timed from its "assigned" line (the restores start) to its last "restored store" line.
 */
async function restoreView(
  env: Env,
): Promise<{ ms: number; totalMs: number; records: number; changelogRecords: number }> {
  const changelogRecords = await recordsIn(env.admin, CHANGELOG);
  fs.rmSync(env.dataDir, { recursive: true, force: true });
  const spawnedAt = Date.now();
  const app = startApp(env);
  try {
    const ready = await app.waitForLine((line) => line.msg === 'ready: every task restored', 300_000);
    const assigned = app.lines.find((l) => l.msg === 'assigned');
    const restored = app.lines.filter((l) => l.msg === 'restored store');
    if (!assigned || restored.length === 0) throw new Error('kes app logged no assignment or restore');
    const lastRestored = Math.max(...restored.map((l) => Number(l.time)));
    return {
      ms: lastRestored - Number(assigned.time),
      totalMs: Number(ready.time) - spawnedAt,
      records: restored.reduce((sum, l) => sum + Number(l.restored), 0),
      changelogRecords,
    };
  } finally {
    await app.stop();
  }
}

/** `kes app` running the products view alone, logging at debug (its restores), in its own process. */
function startApp(env: Env): ScriptProcess {
  return appScript({
    brokers: env.bootstrap,
    registry: env.registryUrl,
    dataDir: env.dataDir,
    instanceId: 'bench',
    args: ['--no-http', '--processors', 'products-view'],
    logLevel: 'debug',
  });
}

async function endOffsets(admin: Admin, topic: string): Promise<Map<number, bigint>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(offsets.map((p) => [p.partition, BigInt(p.high)]));
}

/**
 * Offsets between log start and end of a topic: what a restore reads, including the transaction
 * markers of the task's commits (and less what the cleaner has compacted away so far).
 */
async function recordsIn(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
}

async function timed(run: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

const rate = (n: number, ms: number) => Math.round((n * 1000) / ms);
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
const seconds = (ms: number) => Math.round(ms) / 1000;
const log = (message: string) => console.error(`rebuild bench: ${message}`);
