import * as fs from 'node:fs';
import type { Kafka, Message } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasValidCrc, readBatchHeader } from '../../src/broker/protocol/recordBatch.js';
import { type Consumed, consumeAll } from '../support/consumeAll.js';
import { startTestBroker, type TestBroker } from '../support/embeddedBroker.js';

/**
 * Log compaction seen by KafkaJS: a compacted topic keeps the latest value of every key at the
 * offset the producer got back, tombstones go after delete.retention.ms, the active segment is
 * left alone, and the result survives a restart.
 */

const KEYS = 100;
const UPDATES = 20;
const DELETED = 10;
const DELETE_RETENTION_MS = 1000;

let t: TestBroker;

async function createCompacted(kafka: Kafka, topic: string, configs: Record<string, string>) {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      {
        topic,
        numPartitions: 1,
        configEntries: Object.entries({ 'cleanup.policy': 'compact', ...configs }).map(([name, value]) => ({
          name,
          value,
        })),
      },
    ],
  });
  await admin.disconnect();
}

interface Write {
  offset: string;
  value: string | null;
}

/** Sends each chunk as one request; returns key → its last write, and every write by offset. */
async function produceAll(kafka: Kafka, topic: string, chunks: Message[][]) {
  const last = new Map<string, Write>();
  const all = new Map<string, Write & { key: string }>();
  const producer = kafka.producer();
  await producer.connect();
  for (const messages of chunks) {
    const [meta] = await producer.send({ topic, messages });
    messages.forEach((m, i) => {
      const value = m.value === null || m.value === undefined ? null : m.value.toString();
      const write = { offset: (BigInt(meta!.baseOffset!) + BigInt(i)).toString(), value };
      last.set(m.key!.toString(), write);
      all.set(write.offset, { ...write, key: m.key!.toString() });
    });
  }
  await producer.disconnect();
  return { last, all };
}

const produce = async (kafka: Kafka, topic: string, chunks: Message[][]) =>
  (await produceAll(kafka, topic, chunks)).last;

/** What a consumer from offset 0 must read: one record per key, at its last write's offset. */
function expectedFrom(last: Map<string, Write>) {
  return [...last.entries()]
    .map(([key, { offset, value }]) => ({ key, offset, value }))
    .sort((a, b) => (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1));
}

const simplify = (consumed: Consumed[]) => consumed.map(({ key, offset, value }) => ({ key, offset, value }));

/** Every stored batch of partition 0 is intact and in order; returns how many records they hold. */
function checkBatches(topic: string, broker = t.broker) {
  const log = broker.logs.partition(topic, 0)!;
  let previousEnd = -1n;
  let records = 0;
  let offset = log.logStartOffset;
  while (offset < log.highWatermark) {
    // One segment at a time; a read at a gap returns the next batch.
    const data = log.read(offset, 1 << 30, log.highWatermark, true);
    if (data.length === 0) break;
    for (let at = 0; at < data.length;) {
      const header = readBatchHeader(data, at);
      records += header.recordCount;
      expect(hasValidCrc(data.subarray(at, at + header.size))).toBe(true);
      expect(header.baseOffset).toBeGreaterThan(previousEnd);
      previousEnd = header.baseOffset + BigInt(header.lastOffsetDelta);
      offset = previousEnd + 1n;
      at += header.size;
    }
  }
  return records;
}

beforeAll(async () => {
  // The timer stays out of the way; the hook runs the cleaner.
  t = await startTestBroker({ cleanerIntervalMs: 3_600_000 });
});
afterAll(async () => {
  await t.stop();
});

describe('log compaction with KafkaJS', () => {
  it('keeps the latest value per key at its original offset, drops tombstones later, and survives a restart', async () => {
    const topic = 'compacted-state';
    await createCompacted(t.kafka(), topic, {
      'segment.bytes': '4096',
      'delete.retention.ms': String(DELETE_RETENTION_MS),
    });
    const rounds = Array.from({ length: UPDATES }, (_, round) =>
      Array.from({ length: KEYS }, (_, k) => ({ key: `key-${k}`, value: `v${round}-${k}` })),
    );
    const tombstones = [Array.from({ length: DELETED }, (_, k) => ({ key: `key-${k}`, value: null }))];
    const last = await produce(t.kafka(), topic, [...rounds, ...tombstones]);
    const log = t.broker.logs.partition(topic, 0)!;
    const highWatermark = log.highWatermark;
    expect(highWatermark).toBe(BigInt(KEYS * UPDATES + DELETED));
    const segmentsBefore = log.segmentCount;
    expect(segmentsBefore).toBeGreaterThan(5);
    const bytesBefore = log.sizeInBytes;

    const [first] = await t.broker.hooks.compact({ topic });
    expect(first).toMatchObject({
      topic,
      partition: 0,
      completed: true,
      recordsRemoved: KEYS * (UPDATES - 1) + DELETED,
    });
    expect(log.sizeInBytes).toBeLessThan(bytesBefore / 5);
    expect(log.highWatermark).toBe(highWatermark);
    expect(log.logStartOffset).toBe(0n);
    checkBatches(topic);
    // 90 live keys and 10 tombstones, each where the producer put it.
    const compacted = expectedFrom(last);
    expect(compacted.filter((r) => r.value === null)).toHaveLength(DELETED);
    expect(simplify(await consumeAll(t.kafka(), topic, KEYS))).toEqual(compacted);

    // New updates land in the active segment; a pass without a roll leaves it byte for byte.
    // They are for the last keys of the last full round, so that once cleaned, that batch ends in
    // a gap that KafkaJS must step over.
    const updates = await produce(t.kafka(), topic, [
      Array.from({ length: 10 }, (_, k) => ({ key: `key-${KEYS - 10 + k}`, value: `late-${k}` })),
    ]);
    const activeFile = log.segmentList().at(-1)!.file;
    const activeBytes = fs.readFileSync(activeFile);
    await t.broker.hooks.compact({ topic, roll: false });
    expect(fs.readFileSync(activeFile).equals(activeBytes)).toBe(true);
    const withActive = [...compacted, ...expectedFrom(updates)];
    expect(simplify(await consumeAll(t.kafka(), topic, withActive.length))).toEqual(withActive);

    // After delete.retention.ms, the next pass drops the tombstones, and the rolled updates
    // replace the values they supersede.
    await new Promise((resolve) => setTimeout(resolve, DELETE_RETENTION_MS + 100));
    await t.broker.hooks.compact({ topic });
    for (const [key, write] of updates) last.set(key, write);
    const final = expectedFrom(last).filter((r) => r.value !== null);
    expect(final).toHaveLength(KEYS - DELETED);
    expect(simplify(await consumeAll(t.kafka(), topic, final.length))).toEqual(final);
    expect(checkBatches(topic)).toBe(final.length);
    // Segments the first pass emptied were merged by this one.
    expect(log.segmentCount).toBeLessThan(segmentsBefore);

    await t.restart();
    expect(simplify(await consumeAll(t.kafka(), topic, final.length))).toEqual(final);
    const [again] = await t.broker.hooks.compact({ topic });
    expect(again?.recordsRemoved).toBe(0);
    expect(simplify(await consumeAll(t.kafka(), topic, final.length))).toEqual(final);
    checkBatches(topic);

    // Appends carry on after the last offset.
    const more = await produce(t.kafka(), topic, [[{ key: 'key-0', value: 'back' }]]);
    expect(more.get('key-0')?.offset).toBe(String(KEYS * UPDATES + DELETED + 10));
  });

  it('cleans on its own timer once enough of a log is dirty', async () => {
    const own = await startTestBroker({ cleanerIntervalMs: 100 });
    try {
      const topic = 'compacted-by-timer';
      await createCompacted(own.kafka(), topic, {
        'segment.bytes': '4096',
        'min.cleanable.dirty.ratio': '0.5',
      });
      const chunks = Array.from({ length: 10 }, (_, round) =>
        Array.from({ length: 50 }, (_, k) => ({ key: `key-${k}`, value: `v${round}-${k}` })),
      );
      const { last, all } = await produceAll(own.kafka(), topic, chunks);
      const log = own.broker.logs.partition(topic, 0)!;
      const deadline = Date.now() + 20_000;
      while (log.cleanerCheckpoint === undefined && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(log.cleanerCheckpoint).toBeGreaterThan(0n);
      const left = checkBatches(topic, own.broker);
      expect(left).toBeLessThan(500);
      // What is left is each key's latest write before the checkpoint, and everything after it,
      // each record at the offset its write got.
      const consumed = simplify(await consumeAll(own.kafka(), topic, left, { timeoutMs: 20_000 }));
      expect(consumed).toHaveLength(left);
      for (const record of consumed) expect(all.get(record.offset)).toEqual(record);
      const lastConsumed = new Map(consumed.map((r) => [r.key!, { offset: r.offset, value: r.value }]));
      expect(lastConsumed).toEqual(last);
      const checkpoint = log.cleanerCheckpoint!;
      const older = consumed.filter((r) => BigInt(r.offset) < checkpoint);
      expect(new Set(older.map((r) => r.key)).size).toBe(older.length);
    } finally {
      await own.stop();
    }
  });
});
