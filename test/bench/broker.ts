/**
 * Broker throughput: records/s produced and consumed for 100 B and 1 KiB records, with the broker
 * in its own process (`kes broker`), as clients see it.
 *
 * - kcat_produce_*: kcat -P -l from a file (librdkafka batching, acks=all).
 * - kafkajs_produce_*: KafkaJS, batches of 1,000 records round-robin over 8 partitions, acks=-1,
 *   4 sends in flight.
 * - kafkajs_consume_*: one KafkaJS consumer reading the KafkaJS-produced topic from the start,
 *   timed from the moment its group assignment arrives.
 * - kcat_consume_100b_rps: kcat -C -e over the same data.
 *
 * Options: --records <n> (default 200000), --profile (the broker writes a CPU profile on exit).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { spawnBroker } from '../support/brokerProcess.js';
import { run } from '../support/run.js';
import { tempDir } from '../support/tempDir.js';

const PARTITIONS = 8;

export async function main(args: string[]): Promise<Record<string, unknown>> {
  const records = Number(args[args.indexOf('--records') + 1] || 0) || 200_000;
  const profile = args.includes('--profile');
  const dir = tempDir('kes-bench-');
  const broker = await spawnBroker(
    path.join(dir.path, 'data'),
    0,
    [],
    profile ? ['--cpu-prof', `--cpu-prof-dir=${process.cwd()}`] : [],
  );
  const kafka = new Kafka({ clientId: 'bench', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const topics = ['kcat-100', 'kafkajs-100', 'kafkajs-1k'];
  await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: PARTITIONS })) });
  await admin.disconnect();

  const result: Record<string, unknown> = { records, partitions: PARTITIONS };
  try {
    result.kcat_produce_100b_rps = await kcatProduce(broker.bootstrap, 'kcat-100', records, 100, dir.path);
    result.kcat_consume_100b_rps = await kcatConsume(broker.bootstrap, 'kcat-100', records);
    result.kafkajs_produce_100b_rps = await kafkajsProduce(kafka, 'kafkajs-100', records, 100);
    result.kafkajs_consume_100b_rps = await kafkajsConsume(kafka, 'kafkajs-100', records);
    const big = Math.max(1, Math.floor(records / 4));
    result.kafkajs_produce_1k_rps = await kafkajsProduce(kafka, 'kafkajs-1k', big, 1024);
    result.kafkajs_consume_1k_rps = await kafkajsConsume(kafka, 'kafkajs-1k', big);
    result.records_1k = big;
  } finally {
    await broker.kill('SIGTERM');
    dir.remove();
  }
  return result;
}

const rate = (count: number, ms: number) => Math.round((count * 1000) / ms);

async function kcatProduce(bootstrap: string, topic: string, count: number, size: number, dir: string) {
  const file = path.join(dir, `records-${size}.txt`);
  const line = (i: number) => `${i}`.padEnd(size - 1, 'x');
  fs.writeFileSync(file, `${Array.from({ length: count }, (_, i) => line(i)).join('\n')}\n`);
  const started = performance.now();
  const out = await run('kcat', ['-b', bootstrap, '-P', '-t', topic, '-X', 'acks=all', '-l', file], {
    timeoutMs: 300_000,
  });
  const elapsed = performance.now() - started;
  if (out.code !== 0) throw new Error(`kcat produce failed: ${out.stderr}`);
  return rate(count, elapsed);
}

async function kcatConsume(bootstrap: string, topic: string, count: number) {
  const started = performance.now();
  const out = await run('kcat', ['-b', bootstrap, '-C', '-t', topic, '-e', '-q', '-f', '.'], {
    timeoutMs: 300_000,
  });
  const elapsed = performance.now() - started;
  if (out.code !== 0 || out.stdout.length !== count) {
    throw new Error(`kcat consume read ${out.stdout.length} of ${count}: ${out.stderr}`);
  }
  return rate(count, elapsed);
}

async function kafkajsProduce(kafka: Kafka, topic: string, count: number, size: number) {
  const producer = kafka.producer();
  await producer.connect();
  const value = Buffer.alloc(size, 'x');
  const batchSize = 1000;
  let next = 0;
  const started = performance.now();
  const sender = async () => {
    while (next < count) {
      const from = next;
      next += batchSize;
      const n = Math.min(batchSize, count - from);
      await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: n }, (_, i) => ({ value, partition: (from + i) % PARTITIONS })),
      });
    }
  };
  await Promise.all([sender(), sender(), sender(), sender()]);
  const elapsed = performance.now() - started;
  await producer.disconnect();
  return rate(count, elapsed);
}

async function kafkajsConsume(kafka: Kafka, topic: string, count: number) {
  const consumer = kafka.consumer({
    groupId: `bench-${topic}`,
    maxWaitTimeInMs: 100,
    maxBytesPerPartition: 1024 * 1024,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  // The clock starts when the group has assigned the partitions: fetching, not joining, is measured.
  let started = 0;
  consumer.on(consumer.events.GROUP_JOIN, () => (started = performance.now()));
  const elapsed = await new Promise<number>((resolve, reject) => {
    consumer
      .run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          seen += batch.messages.length;
          if (seen >= count) resolve(performance.now() - started);
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return rate(count, elapsed);
}
