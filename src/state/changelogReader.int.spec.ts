import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../../test/support/embeddedBroker.js';
import { ChangelogReader } from './changelogReader.js';
import type { ChangelogReadRequest, ChangelogRecord } from './changelogSource.js';
import { appendChanges, createChangelogTopic, someChanges } from './testing/changelogTopics.js';

/** How the ChangelogReader drives its one KafkaJS consumer, seen from what it hands over. */

let t: TestBroker;
let kafka: Kafka;
let topicCount = 0;
const readers: ChangelogReader[] = [];

beforeAll(async () => {
  t = await startTestBroker();
  kafka = t.kafka('kes-reader-test');
});
afterAll(async () => {
  for (const reader of readers) await reader.close();
  await t.stop();
});

async function connect(topics: string[] = [], client = kafka): Promise<ChangelogReader> {
  const reader = await ChangelogReader.connect({
    kafka: client,
    groupId: `reader-${readers.length}`,
    topics,
  });
  readers.push(reader);
  return reader;
}

async function newTopic(partitions = 1, records = 0): Promise<string> {
  const topic = `reader-${++topicCount}-changelog`;
  await createChangelogTopic(kafka, topic, partitions);
  for (let p = 0; p < partitions && records > 0; p++)
    await appendChanges(kafka, topic, p, someChanges(records, 50));
  return topic;
}

interface Collected {
  records: ChangelogRecord[];
  /** Per onRecords call: how many records it carried, and its next offset. */
  sizes: number[];
  nextOffsets: bigint[];
}

/** Reads a partition from `from` to `to`, collecting what is handed over; `delayMs` slows each call. */
function readAll(
  reader: ChangelogReader,
  topic: string,
  {
    partition = 0,
    from = 0n,
    to,
    maxRecords = 100,
    delayMs = 0,
  }: Partial<ChangelogReadRequest> & {
    to: bigint;
    delayMs?: number;
  },
): { done: Promise<void>; collected: Collected } {
  const collected: Collected = { records: [], sizes: [], nextOffsets: [] };
  const done = reader.read({
    topic,
    partition,
    from,
    to,
    maxRecords,
    onRecords: async (records, nextOffset) => {
      collected.records.push(...records);
      collected.sizes.push(records.length);
      collected.nextOffsets.push(nextOffset);
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    },
  });
  return { done, collected };
}

const offsetsOf = (records: ChangelogRecord[]) => records.map((r) => Number(r.offset));
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('ChangelogReader', () => {
  it('hands over every record once, in order, from a start inside a record batch', async () => {
    const topic = await newTopic(1, 1000);
    const reader = await connect([topic]);
    const { done, collected } = readAll(reader, topic, { from: 37n, to: 1000n, maxRecords: 64 });
    await done;
    expect(offsetsOf(collected.records)).toEqual(range(37, 1000));
    expect(collected.nextOffsets.at(-1)).toBe(1000n);
    // At most maxRecords a call, and each call's next offset follows its last record.
    expect(Math.max(...collected.sizes)).toBe(64);
    let seen = 0;
    collected.sizes.forEach((size, i) => {
      seen += size;
      expect(collected.nextOffsets[i]).toBe(collected.records[seen - 1]!.offset + 1n);
    });
    expect(collected.records[0]).toMatchObject({ key: 'key-37', value: Buffer.from('v37') });
  });

  it('reads topics given up front and topics added later, and reads a partition again', async () => {
    const [a, b, c] = [await newTopic(1, 100), await newTopic(2, 80), await newTopic(1, 60)];
    const reader = await connect([a, b]);
    const first = readAll(reader, b, { partition: 1, to: 80n });
    await first.done;
    expect(offsetsOf(first.collected.records)).toEqual(range(0, 80));
    const later = readAll(reader, c, { to: 60n });
    await later.done;
    expect(offsetsOf(later.collected.records)).toEqual(range(0, 60));
    // Records at or beyond `to` are left out, even where the fetch brought them.
    const again = readAll(reader, a, { from: 90n, to: 100n });
    await again.done;
    expect(offsetsOf(again.collected.records)).toEqual(range(90, 100));
    const twice = readAll(reader, a, { from: 10n, to: 20n });
    await twice.done;
    expect(offsetsOf(twice.collected.records)).toEqual(range(10, 20));
  });

  it('keeps reads going while it rejoins its group to add a topic', async () => {
    // Values of 20 kB: a fetch brings about 50 of them (1 MB per partition), so the read of this
    // topic spans several fetches, and the rejoin falls between two of them.
    const slow = `reader-${++topicCount}-changelog`;
    await createChangelogTopic(kafka, slow);
    const big = 'x'.repeat(20_000);
    await appendChanges(
      kafka,
      slow,
      0,
      Array.from({ length: 200 }, (_, i) => [`k${i}`, big]),
      20,
    );
    const reader = await connect([slow]);
    const long = readAll(reader, slow, { to: 200n, maxRecords: 5, delayMs: 20 });
    while (long.collected.records.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const added = await newTopic(1, 200);
    const short = readAll(reader, added, { to: 200n });
    await short.done;
    expect(long.collected.records.length).toBeLessThan(200);
    await long.done;
    expect(offsetsOf(long.collected.records)).toEqual(range(0, 200));
    expect(offsetsOf(short.collected.records)).toEqual(range(0, 200));
  });

  it('goes on where it was after the broker restarts in the middle of a read', async () => {
    const topic = `reader-${++topicCount}-changelog`;
    await createChangelogTopic(kafka, topic);
    const big = 'y'.repeat(20_000);
    await appendChanges(
      kafka,
      topic,
      0,
      Array.from({ length: 200 }, (_, i) => [`k${i}`, big]),
      20,
    );
    const reader = await connect([topic]);
    const long = readAll(reader, topic, { to: 200n, maxRecords: 5, delayMs: 10 });
    while (long.collected.records.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await t.restart();
    await long.done;
    expect(offsetsOf(long.collected.records)).toEqual(range(0, 200));
  });

  it('reads many partitions at once', async () => {
    const topic = await newTopic(4, 300);
    const reader = await connect();
    const reads = [0, 1, 2, 3].map((partition) =>
      readAll(reader, topic, { partition, to: 300n, maxRecords: 50 }),
    );
    await Promise.all(reads.map((r) => r.done));
    for (const { collected } of reads) expect(offsetsOf(collected.records)).toEqual(range(0, 300));
  });

  it('ends at the last stable offset, without waiting for an open transaction', async () => {
    const topic = await newTopic(1, 10);
    const reader = await connect([topic]);
    const producer = kafka.producer({
      transactionalId: `${topic}-writer`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    const tx = await producer.transaction();
    await tx.send({ topic, messages: [{ key: 'open', value: 'pending', partition: 0 }] });
    expect(await reader.offsets(topic, 0)).toEqual({ logStartOffset: 0n, endOffset: 10n });
    await tx.commit();
    await producer.disconnect();
    expect(await reader.offsets(topic, 0)).toEqual({ logStartOffset: 0n, endOffset: 12n });
    const { done, collected } = readAll(reader, topic, { from: 10n, to: 12n });
    await done;
    expect(collected.records.map((r) => r.key)).toEqual(['open']);
    expect(collected.nextOffsets.at(-1)).toBe(12n);
  });

  it('never commits offsets for its group', async () => {
    const topic = await newTopic(1, 20);
    const reader = await connect([topic]);
    await readAll(reader, topic, { to: 20n }).done;
    const admin = kafka.admin();
    await admin.connect();
    const [offsets] = await admin.fetchOffsets({ groupId: `reader-${readers.length - 1}`, topics: [topic] });
    await admin.disconnect();
    expect(offsets!.partitions.map((p) => p.offset)).toEqual(['-1']);
  });

  it('refuses a second read of a partition being read', async () => {
    const topic = await newTopic(1, 5);
    const reader = await connect([topic]);
    const hanging = readAll(reader, topic, { to: 1000n });
    await expect(readAll(reader, topic, { to: 5n }).done).rejects.toMatchObject({ code: 'READ_IN_PROGRESS' });
    while (hanging.collected.records.length < 5) await new Promise((resolve) => setTimeout(resolve, 5));
    const ended = expect(hanging.done).rejects.toMatchObject({ code: 'CLOSED' });
    await reader.close();
    await ended;
    expect(offsetsOf(hanging.collected.records)).toEqual(range(0, 5));
    await expect(reader.offsets(topic, 0)).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(readAll(reader, topic, { to: 5n }).done).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('resolves a read that starts at its end without fetching', async () => {
    const reader = await connect();
    const { done, collected } = readAll(reader, 'no-such-topic', { from: 5n, to: 5n });
    await done;
    expect(collected.nextOffsets).toEqual([]);
  });

  it('rejects a read whose handler fails, and goes on with other reads', async () => {
    const topic = await newTopic(2, 30);
    const reader = await connect([topic]);
    const failing = reader.read({
      topic,
      partition: 0,
      from: 0n,
      to: 30n,
      maxRecords: 10,
      onRecords: async () => {
        throw new Error('disk full');
      },
    });
    await expect(failing).rejects.toThrow('disk full');
    const other = readAll(reader, topic, { partition: 1, to: 30n });
    await other.done;
    expect(offsetsOf(other.collected.records)).toEqual(range(0, 30));
    const retry = readAll(reader, topic, { partition: 0, to: 30n });
    await retry.done;
    expect(offsetsOf(retry.collected.records)).toEqual(range(0, 30));
  });

  it('rejects a record without a key', async () => {
    const topic = `reader-${++topicCount}-plain`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'k', value: '1' }, { value: 'no key' }] });
    await producer.disconnect();
    const reader = await connect([topic]);
    await expect(readAll(reader, topic, { to: 2n }).done).rejects.toMatchObject({
      code: 'INVALID_CHANGELOG_RECORD',
    });
  });

  it('reports unknown topics and partitions', async () => {
    const topic = await newTopic(1);
    const reader = await connect([], t.kafka('kes-reader-test-no-retries', 0));
    await expect(reader.offsets(topic, 3)).rejects.toMatchObject({ code: 'UNKNOWN_PARTITION' });
    await expect(reader.offsets('reader-missing', 0)).rejects.toMatchObject({ code: 'UNKNOWN_PARTITION' });
    await expect(readAll(reader, 'reader-missing', { to: 1n }).done).rejects.toMatchObject({
      code: 'UNKNOWN_PARTITION',
    });
    // The failed subscription left the reader usable.
    await appendChanges(kafka, topic, 0, someChanges(3, 3));
    await readAll(reader, topic, { to: 3n }).done;
  });
});
