/**
 * Transactional consume→produce throughput against the same loop without transactions, on one
 * broker (its own process; KES_BENCH_KAFKA picks real Kafka instead) in the same run. Each loop reads the same pre-produced input topic
 * from the start with its own group, produces one output per input, and commits the input
 * offsets: in the transaction (sendOffsets) for the transactional loops, with a plain commit
 * after each chunk for the baseline.
 *
 * Fields: txn_100_rps, txn_500_rps, txn_1000_rps (records per transaction), plain_rps (chunks of
 * 500), ratio_500 = txn_500_rps / plain_rps. Option: --records <n> (default 50000).
 */
import { Kafka, logLevel } from 'kafkajs';
import { tempDir } from '../support/tempDir.js';
import { startBenchKafka } from './support/benchKafka.js';

const PARTITIONS = 4;
const INPUT = 'bench-input';

export async function main(args: string[]): Promise<Record<string, unknown>> {
  const records = Number(args[args.indexOf('--records') + 1] || 0) || 50_000;
  const dir = tempDir('kes-bench-txn-');
  const broker = await startBenchKafka(dir.path);
  const kafka = new Kafka({ clientId: 'bench-txn', brokers: broker.brokers, logLevel: logLevel.NOTHING });
  try {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [INPUT, 'out-plain', 'out-100', 'out-500', 'out-1000'].map((topic) => ({
        topic,
        numPartitions: PARTITIONS,
      })),
    });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    const value = Buffer.alloc(100, 'x');
    for (let start = 0; start < records; start += 1000) {
      const n = Math.min(1000, records - start);
      await producer.send({
        topic: INPUT,
        messages: Array.from({ length: n }, (_, i) => ({ value, partition: (start + i) % PARTITIONS })),
      });
    }
    await producer.disconnect();

    const plain = await loop(kafka, records, 500, false);
    const txn100 = await loop(kafka, records, 100, true);
    const txn500 = await loop(kafka, records, 500, true);
    const txn1000 = await loop(kafka, records, 1000, true);
    return {
      broker: broker.label,
      records,
      txn_100_rps: txn100,
      txn_500_rps: txn500,
      txn_1000_rps: txn1000,
      plain_rps: plain,
      ratio_500: Math.round((txn500 / plain) * 100) / 100,
    };
  } finally {
    await broker.stop();
    dir.remove();
  }
}

/** Runs one consume→produce loop over all inputs; resolves with records/s. */
async function loop(kafka: Kafka, total: number, chunkSize: number, transactional: boolean): Promise<number> {
  const name = transactional ? `${chunkSize}` : 'plain';
  const output = `out-${name}`;
  const groupId = `bench-${name}`;
  const producer = transactional
    ? kafka.producer({ transactionalId: `bench-${name}`, idempotent: true, maxInFlightRequests: 1 })
    : kafka.producer();
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 50, maxBytesPerPartition: 1024 * 1024 });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topic: INPUT, fromBeginning: true });
  let processed = 0;
  let started = 0;
  const elapsed = await new Promise<number>((resolve, reject) => {
    consumer
      .run({
        autoCommit: !transactional,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary }) => {
          if (started === 0) started = performance.now();
          for (let at = 0; at < batch.messages.length; at += chunkSize) {
            const chunk = batch.messages.slice(at, at + chunkSize);
            const last = chunk.at(-1)!.offset;
            const messages = chunk.map((m) => ({ value: m.value }));
            if (transactional) {
              const txn = await producer.transaction();
              await txn.send({ topic: output, messages });
              await txn.sendOffsets({
                consumerGroupId: groupId,
                topics: [
                  {
                    topic: INPUT,
                    partitions: [{ partition: batch.partition, offset: String(Number(last) + 1) }],
                  },
                ],
              });
              await txn.commit();
            } else {
              await producer.send({ topic: output, acks: -1, messages });
            }
            resolveOffset(last);
            if (!transactional) await commitOffsetsIfNecessary();
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
