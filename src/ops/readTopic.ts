import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { fetchTopicOffsets } from '../kafka/topicOffsets.js';

export interface RawRecord {
  readonly partition: number;
  readonly message: KafkaMessage;
}

/**
 * Every record of a topic up to its end as it is now (read_committed: the last stable offset;
 * or read_uncommitted, records of open and aborted transactions too), raw, in partition and
 * offset order.
 */
export async function readTopic(
  kafka: Kafka,
  topic: string,
  { timeoutMs = 30_000, readUncommitted = false } = {},
): Promise<RawRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map((await fetchTopicOffsets(admin, topic)).map((p) => [p.partition, BigInt(p.offset)]));
  const pending = new Set([...ends].filter(([, end]) => end > 0n).map(([p]) => p));
  const records: RawRecord[] = [];
  if (pending.size === 0) {
    await admin.disconnect();
    return records;
  }
  const groupId = `read-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 50, readUncommitted });
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${topic} not read to its end in ${timeoutMs} ms`)),
        timeoutMs,
      );
      const reached = (partition: number, next: bigint) => {
        if (next >= ends.get(partition)!) pending.delete(partition);
        if (pending.size === 0) {
          clearTimeout(timer);
          resolve();
        }
      };
      // Batches of only markers or aborted records end without messages; count them too.
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) =>
        reached(payload.partition, BigInt(payload.lastOffset) + 1n),
      );
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            for (const message of batch.messages) {
              if (BigInt(message.offset) < ends.get(batch.partition)!)
                records.push({ partition: batch.partition, message });
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
    // It committed nothing: left, its group would stay behind empty (for ever, on some brokers).
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
  return records.sort(
    (a, b) => a.partition - b.partition || Number(BigInt(a.message.offset) - BigInt(b.message.offset)),
  );
}
