import type { Kafka, Producer } from 'kafkajs';
import { expect } from 'vitest';
import { RawClient } from './rawClient.js';
import { listOffset, untilLed } from './wireRequests.js';

/** KafkaJS helpers of the transaction suites: topics, transactional producers, partition ends. */

let topicCount = 0;
/** A new topic, once Kafka's leader serves its partitions (a moment after it is listed). */
export async function newTopic(kafka: Kafka, port: number, partitions = 1): Promise<string> {
  const topic = `txn-${++topicCount}-${process.pid}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions }] });
  await admin.disconnect();
  const client = await RawClient.connect(port);
  await untilLed(client, topic, partitions).finally(() => client.close());
  return topic;
}

export async function transactional(
  kafka: Kafka,
  transactionalId: string,
  transactionTimeout?: number,
): Promise<Producer> {
  const producer = kafka.producer({
    transactionalId,
    maxInFlightRequests: 1,
    idempotent: true,
    transactionTimeout,
  });
  await producer.connect();
  return producer;
}

/** KafkaJS's admin asks for the last stable offset (isolation level 1). */
export async function stableEnd(kafka: Kafka, topic: string): Promise<string> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  return offsets[0]!.high;
}

/** The high watermark and last stable offset of partition 0, from ListOffsets. */
export async function ends(port: number, topic: string) {
  const client = await RawClient.connect(port);
  try {
    return {
      high: (await listOffset(client, topic, -1n, { isolationLevel: 0 })).offset,
      stable: (await listOffset(client, topic, -1n, { isolationLevel: 1 })).offset,
    };
  } finally {
    client.close();
  }
}

/** Waits until partition 0's ends are as expected (at most 10 s), and fails saying what they were. */
export async function untilEnds(port: number, topic: string, expected: { high: bigint; stable: bigint }) {
  const deadline = Date.now() + 10_000;
  let now = await ends(port, topic);
  while ((now.high !== expected.high || now.stable !== expected.stable) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    now = await ends(port, topic);
  }
  expect(now).toEqual(expected);
}
