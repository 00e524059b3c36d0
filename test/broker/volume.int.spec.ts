import { CompressionTypes, type Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../support/embeddedBroker.js';

/**
 * 100,000 records with keys and headers (null keys, null values and repeated header keys
 * included), produced in chunks well under 1 MB, gzip on and off, over 8 partitions, consumed by
 * a 3-member KafkaJS group: every partition must arrive contiguous and in order, nothing lost or
 * duplicated, and the group's committed offsets must equal the end offsets.
 */
const TOTAL = 100_000;
const PARTITIONS = 8;
const CHUNK = 2_000;
const TOPIC = 'volume';
const GROUP = 'volume-group';

let t: TestBroker;
beforeAll(async () => {
  t = await startTestBroker();
  const admin = t.kafka().admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS }] });
  await admin.disconnect();
});
afterAll(() => t.stop());

interface Seen {
  offset: number;
  seq: number;
}

describe('volume and order', () => {
  it('delivers 100k records to a 3-member group contiguously, in order, exactly once', async () => {
    const seen = Array.from({ length: PARTITIONS }, () => [] as Seen[]);
    let received = 0;
    let done!: () => void;
    const allReceived = new Promise<void>((resolve) => (done = resolve));

    // Join all three members before producing, so that no rebalance replays anything.
    const consumers: Consumer[] = [];
    for (let i = 0; i < 3; i++) {
      const consumer = t.kafka(`member-${i}`).consumer({
        groupId: GROUP,
        maxWaitTimeInMs: 200,
        sessionTimeout: 10_000,
        heartbeatInterval: 1_000,
      });
      await consumer.connect();
      await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
      await consumer.run({
        eachBatch: async ({ batch }) => {
          for (const m of batch.messages) {
            seen[batch.partition]!.push({
              offset: Number(m.offset),
              seq: Number(m.headers!.seq!.toString()),
            });
          }
          received += batch.messages.length;
          if (received >= TOTAL) done();
        },
      });
      consumers.push(consumer);
    }
    const describeGroup = async () => {
      const admin = t.kafka().admin();
      await admin.connect();
      const { groups } = await admin.describeGroups([GROUP]);
      await admin.disconnect();
      return groups[0]!;
    };
    for (let i = 0; i < 200; i++) {
      const group = await describeGroup();
      if (group.state === 'Stable' && group.members.length === 3) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await describeGroup()).members).toHaveLength(3);

    const producer = t.kafka('volume-producer').producer();
    await producer.connect();
    for (let start = 0; start < TOTAL; start += CHUNK) {
      const messages = Array.from({ length: CHUNK }, (_, i) => {
        const seq = start + i;
        return {
          partition: seq % PARTITIONS,
          key: seq % 7 === 0 ? null : `key-${seq % 1000}`,
          value: seq % 50 === 0 ? null : `value-${seq}-${'x'.repeat(seq % 64)}`,
          headers: { seq: String(seq), tag: ['a', 'b'], empty: '' },
        };
      });
      await producer.send({
        topic: TOPIC,
        compression: (start / CHUNK) % 2 === 0 ? CompressionTypes.None : CompressionTypes.GZIP,
        messages,
      });
    }
    await producer.disconnect();

    await allReceived;
    // Give the last batches' commits time to land, then leave the group (which commits too).
    await Promise.all(consumers.map((c) => c.disconnect()));

    let total = 0;
    for (let p = 0; p < PARTITIONS; p++) {
      const records = seen[p]!;
      total += records.length;
      expect(records.map((r) => r.offset)).toEqual(records.map((_, i) => i));
      const expectedSeqs = Array.from({ length: TOTAL / PARTITIONS }, (_, i) => i * PARTITIONS + p);
      expect(records.map((r) => r.seq)).toEqual(expectedSeqs);
    }
    expect(total).toBe(TOTAL);

    const admin = t.kafka().admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(TOPIC);
    const committed = await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
    await admin.disconnect();
    const byPartition = (list: { partition: number; offset: string }[]) =>
      Object.fromEntries(list.map((p) => [p.partition, p.offset]));
    expect(byPartition(committed[0]!.partitions)).toEqual(byPartition(ends));
    expect(ends.every((e) => e.offset === String(TOTAL / PARTITIONS))).toBe(true);
  }, 180_000);
});
