import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../support/embeddedBroker.js';

// The answers Apache Kafka 4.4 gives on one node (checked with the same KafkaJS calls): KafkaJS's
// own admin suite asks for a reassignment of a topic that does not exist and expects error 3.
let t: TestBroker;
let admin: Admin;

beforeAll(async () => {
  t = await startTestBroker();
  admin = t.kafka('reassignments-test', 0).admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic: 'placed', numPartitions: 1 }] });
});
afterAll(async () => {
  await admin.disconnect();
  await t.stop();
});

const reassign = (topic: string, partition: number, replicas: number[]) =>
  admin.alterPartitionReassignments({ topics: [{ topic, partitionAssignment: [{ partition, replicas }] }] });

const refusedWith = (type: string, topic: string, partition: number) =>
  expect.objectContaining({
    message: 'Errors altering partition reassignments',
    errors: [expect.objectContaining({ type, topic, partition })],
  });

describe('partition reassignments on the embedded broker', () => {
  it('refuses an unknown topic or partition with UNKNOWN_TOPIC_OR_PARTITION', async () => {
    await expect(reassign('nowhere', 0, [2, 1])).rejects.toThrow(
      refusedWith('UNKNOWN_TOPIC_OR_PARTITION', 'nowhere', 0),
    );
    await expect(reassign('placed', 5, [1])).rejects.toThrow(
      refusedWith('UNKNOWN_TOPIC_OR_PARTITION', 'placed', 5),
    );
  });

  it('refuses a broker that is not registered, or named twice, with INVALID_REPLICA_ASSIGNMENT', async () => {
    await expect(reassign('placed', 0, [2])).rejects.toThrow(
      refusedWith('INVALID_REPLICA_ASSIGNMENT', 'placed', 0),
    );
    await expect(reassign('placed', 0, [1, 1])).rejects.toThrow(
      refusedWith('INVALID_REPLICA_ASSIGNMENT', 'placed', 0),
    );
  });

  it('accepts the replica set the partition already has, and lists nothing in progress', async () => {
    await expect(reassign('placed', 0, [1])).resolves.toBeUndefined();
    expect(await admin.listPartitionReassignments({})).toEqual({ topics: [] });
    expect(
      await admin.listPartitionReassignments({ topics: [{ topic: 'placed', partitions: [0] }] }),
    ).toEqual({ topics: [] });
    const metadata = await admin.fetchTopicMetadata({ topics: ['placed'] });
    expect(metadata.topics[0]!.partitions[0]!.replicas).toEqual([1]);
  });
});
