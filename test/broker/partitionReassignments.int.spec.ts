import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/broker/protocol/errorCodes.js';
import { AlterPartitionReassignments } from '../../src/broker/protocol/messages/alterPartitionReassignments.js';
import { startTestBroker, type TestBroker } from '../support/embeddedBroker.js';
import { RawClient } from '../support/rawClient.js';

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

  it('answers a cancel with NO_REASSIGNMENT_IN_PROGRESS and an empty list with INVALID_REPLICA_ASSIGNMENT', async () => {
    // KafkaJS cannot send either (it checks the replica list first), so a raw request does.
    const client = await RawClient.connect(t.broker.port);
    try {
      const response = await client.request(AlterPartitionReassignments, 0, {
        timeoutMs: 1000,
        topics: [
          {
            name: 'placed',
            partitions: [
              { partitionIndex: 0, replicas: null },
              { partitionIndex: 0, replicas: [] },
            ],
          },
        ],
      });
      expect(response.errorCode).toBe(ErrorCode.NONE);
      expect(response.responses[0]!.partitions).toEqual([
        { partitionIndex: 0, errorCode: ErrorCode.NO_REASSIGNMENT_IN_PROGRESS, errorMessage: null },
        {
          partitionIndex: 0,
          errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT,
          errorMessage: 'The manual partition assignment includes an empty replica list.',
        },
      ]);
    } finally {
      client.close();
    }
  });
});
