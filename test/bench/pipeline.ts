/**
 * Command pipeline throughput and latency, each measurement on a fresh embedded broker (its own
 * process), with the registry in this process and the application as `kes app` in its own:
 *
 * - eos_cps / alos_cps: commands pre-produced to stock.commands, then processed by `kes app`
 *   (exactly once / at least once) into committed events; timed from its first committed offset
 *   until all are committed.
 * - baseline_cps: a raw KafkaJS transactional loop over the same commands — consume a batch,
 *   produce one record per command, send the offsets, commit — with no decoding or logic.
 * - p50_ms / p99_ms: command-to-committed-event latency at `rate_for_latency_cps`, seen by a
 *   read_committed consumer of stock.events.
 *
 * Options: --commands <n> (default 30000), --rate <n> (default 1000).
 */
import * as path from 'node:path';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel } from 'kafkajs';
import pino from 'pino';
import { CloudEventHeaders } from '../../src/commands/cloudEvents.js';
import { type CommandInput, CommandSender } from '../../src/commands/commandSender.js';
import { deciders } from '../../examples/domainCatalog.js';
import type { ProcessingGuarantee } from '../../src/processor/streamTask.js';
import { startRegistry } from '../../src/registry/index.js';
import { Serde } from '../../src/serde/serde.js';
import { applyTopology } from '../../src/topology/applyTopology.js';
import { topology } from '../../topology/index.js';
import { appScript } from '../support/appProcess.js';
import type { ScriptProcess } from '../support/spawnScript.js';
import { tempDir } from '../support/tempDir.js';
import { benchKafkaKind, startBenchKafka } from './support/benchKafka.js';
import { application } from '../../topology/application.js';

const PRODUCTS = 1000;
const logger = pino({ level: 'silent' });

export async function main(args: string[]): Promise<Record<string, unknown>> {
  const option = (name: string, fallback: number) => Number(args[args.indexOf(name) + 1] || 0) || fallback;
  const commands = option('--commands', 30_000);
  const rate = option('--rate', 1000);
  const stage = async <T>(name: string, run: () => Promise<T>) => {
    const started = performance.now();
    const result = await run();
    console.error(`${name}: ${JSON.stringify(result)} in ${Math.round(performance.now() - started)} ms`);
    return result;
  };
  if (args.includes('--only-latency')) {
    return {
      latency: await stage('latency', () =>
        withStack(0, (env) => latencyAt(env, rate, Math.min(5000, rate * 5))),
      ),
    };
  }
  if (args.includes('--only-eos')) {
    return {
      eos_cps: await stage('exactly once', () => withStack(commands, (env) => pipeline(env, 'exactly_once'))),
    };
  }
  const baseline = await stage('baseline', () => withStack(commands, (env) => baselineLoop(env)));
  const eos = await stage('exactly once', () => withStack(commands, (env) => pipeline(env, 'exactly_once')));
  const alos = await stage('at least once', () =>
    withStack(commands, (env) => pipeline(env, 'at_least_once')),
  );
  const latency = await stage('latency', () =>
    withStack(0, (env) => latencyAt(env, rate, Math.min(5000, rate * 5))),
  );
  return {
    broker: benchKafkaKind(),
    commands,
    eos_cps: eos,
    alos_cps: alos,
    baseline_cps: baseline,
    ratio_eos: Math.round((eos / baseline) * 100) / 100,
    p50_ms: latency.p50,
    p99_ms: latency.p99,
    rate_for_latency_cps: rate,
  };
}

interface Env {
  kafka: Kafka;
  bootstrap: string;
  registryUrl: string;
  sender: CommandSender;
  serde: Serde;
  dataDir: string;
}

/** A fresh broker (own process), registry and topology, with `commands` IncreaseStock pre-produced. */
async function withStack<T>(commands: number, run: (env: Env) => Promise<T>): Promise<T> {
  const dir = tempDir('kes-bench-pipeline-');
  const broker = await startBenchKafka(dir.path);
  const registry = await startRegistry({ port: 0, brokers: broker.brokers, logger });
  const kafka = new Kafka({ clientId: 'bench', brokers: broker.brokers, logLevel: logLevel.NOTHING });
  try {
    const admin = kafka.admin();
    await admin.connect();
    await applyTopology(admin, topology);
    await admin.disconnect();
    const serde = Serde.forApplication(application, new SchemaRegistry({ host: registry.url }));
    await serde.registerAll();
    const sender = new CommandSender(serde, Object.values(deciders));
    const env = {
      kafka,
      bootstrap: broker.bootstrap,
      registryUrl: registry.url,
      sender,
      serde,
      dataDir: path.join(dir.path, 'app'),
    };
    if (commands > 0) {
      const inputs: CommandInput[] = Array.from({ length: PRODUCTS }, (_, i) => ({
        type: 'AddProduct',
        data: { productId: `p-${i}`, name: `Product ${i}`, initialStock: 100 },
      }));
      for (let i = inputs.length; i < commands; i++) {
        inputs.push({ type: 'IncreaseStock', data: { productId: `p-${i % PRODUCTS}`, quantity: 1 } });
      }
      await produce(env, inputs);
    }
    return await run(env);
  } finally {
    await registry.close();
    await broker.stop();
    dir.remove();
  }
}

async function produce(env: Env, inputs: readonly CommandInput[]): Promise<void> {
  const producer = env.kafka.producer({ idempotent: true });
  await producer.connect();
  for (let at = 0; at < inputs.length; at += 1000) {
    const prepared = await Promise.all(inputs.slice(at, at + 1000).map((c) => env.sender.prepare(c)));
    await producer.send({
      topic: 'stock.commands',
      acks: -1,
      messages: prepared.map((p) => ({
        key: p.record.key,
        value: p.record.value,
        headers: { ...p.record.headers },
      })),
    });
  }
  await producer.disconnect();
}

/** `kes app` as its own process, as it runs in production. */
async function startBenchApp(env: Env, guarantee: ProcessingGuarantee): Promise<ScriptProcess> {
  const child = appScript({
    brokers: env.bootstrap,
    registry: env.registryUrl,
    dataDir: env.dataDir,
    instanceId: 'bench',
    args: [
      '--no-http',
      // The write side only: what the baseline loop compares with.
      '--processors',
      'stock-commands',
      ...(guarantee === 'at_least_once' ? ['--at-least-once'] : []),
    ],
  });
  await child.waitForLine((line) => line.msg === 'ready: every task restored', 120_000);
  return child;
}

/**
 * Commands/s of the application processing the pre-produced commands: from its first committed
 * offset of stock.commands until all are committed (watched from outside, every 20 ms).
 */
async function pipeline(env: Env, guarantee: ProcessingGuarantee): Promise<number> {
  const total = await countCommands(env);
  const admin = env.kafka.admin();
  await admin.connect();
  const committed = async () =>
    (
      await admin.fetchOffsets({ groupId: 'kes-stock-commands', topics: ['stock.commands'] })
    )[0]!.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  const app = await startBenchApp(env, guarantee);
  try {
    let started = 0;
    let startedAt = 0;
    for (;;) {
      const done = await committed();
      if (startedAt === 0 && done > 0) {
        started = done;
        startedAt = performance.now();
      }
      if (done >= total) return Math.round(((total - started) * 1000) / (performance.now() - startedAt));
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await admin.disconnect();
    await app.stop();
  }
}

async function countCommands(env: Env): Promise<number> {
  const admin = env.kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets('stock.commands');
  await admin.disconnect();
  return offsets.reduce((sum, p) => sum + Number(p.offset), 0);
}

/** The raw loop: per batch a transaction with one output record per input and the offsets. */
async function baselineLoop(env: Env): Promise<number> {
  const total = await countCommands(env);
  const groupId = 'bench-baseline';
  const producer = env.kafka.producer({
    transactionalId: 'bench-baseline',
    idempotent: true,
    maxInFlightRequests: 1,
  });
  const consumer = env.kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topic: 'stock.commands', fromBeginning: true });
  let processed = 0;
  let started = 0;
  const elapsed = await new Promise<number>((resolve, reject) => {
    consumer
      .run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
          if (started === 0) started = performance.now();
          for (let at = 0; at < batch.messages.length; at += 1000) {
            const chunk = batch.messages.slice(at, at + 1000);
            const last = chunk.at(-1)!.offset;
            const txn = await producer.transaction();
            await txn.send({
              topic: 'stock.events',
              acks: -1,
              messages: chunk.map((m) => ({ key: m.key, value: m.value, partition: batch.partition })),
            });
            await txn.sendOffsets({
              consumerGroupId: groupId,
              topics: [
                {
                  topic: 'stock.commands',
                  partitions: [{ partition: batch.partition, offset: String(Number(last) + 1) }],
                },
              ],
            });
            await txn.commit();
            resolveOffset(last);
            processed += chunk.length;
            await heartbeat();
          }
          if (processed >= total) resolve(performance.now() - started);
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  await producer.disconnect();
  return Math.round((total * 1000) / elapsed);
}

/** Latency from sending a command to its event being visible (committed), at a steady rate. */
async function latencyAt(env: Env, rate: number, count: number): Promise<{ p50: number; p99: number }> {
  const app = await startBenchApp(env, 'exactly_once');
  const seed: CommandInput[] = Array.from({ length: 100 }, (_, i) => ({
    type: 'AddProduct',
    data: { productId: `p-${i}`, name: `Product ${i}`, initialStock: 100 },
  }));
  await produce(env, seed);
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const consumer = env.kafka.consumer({ groupId: 'bench-latency', maxWaitTimeInMs: 20 });
  await consumer.connect();
  await consumer.subscribe({ topic: 'stock.events', fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const cause = message.headers?.[CloudEventHeaders.causationId]?.toString();
      const at = cause ? sentAt.get(cause) : undefined;
      if (at !== undefined) latencies.push(performance.now() - at);
    },
  });
  const producer = env.kafka.producer({ idempotent: true });
  await producer.connect();
  const interval = 1000 / rate;
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const commandId = `latency-${i}`;
    const prepared = await env.sender.prepare({
      type: 'IncreaseStock',
      data: { productId: `p-${i % 100}`, quantity: 1 },
      commandId,
    });
    sentAt.set(commandId, performance.now());
    void producer.send({
      topic: 'stock.commands',
      acks: -1,
      messages: [
        { key: prepared.record.key, value: prepared.record.value, headers: { ...prepared.record.headers } },
      ],
    });
  }
  const deadline = performance.now() + 30_000;
  while (latencies.length < count && performance.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  await producer.disconnect();
  await consumer.disconnect();
  await app.stop();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]! * 10) / 10;
  return { p50: at(0.5), p99: at(0.99) };
}
