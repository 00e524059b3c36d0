import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Attributes,
  type BatchHeader,
  codecOf,
  decodeRecords,
  encodeBatch,
  hasValidCrc,
  type NewRecord,
  readBatchHeader,
  rewriteCrc,
} from '../protocol/recordBatch.js';
import type { AbortedTransaction } from './abortedTransaction.js';
import { CleanerMemory } from './cleanerMemory.js';
import { cleanLog, type CleanLogOptions } from './cleanLog.js';
import { PartitionLog } from './partitionLog.js';
import { Segment } from './segment.js';
import { resolveTopicConfig, type TopicConfig } from './topicConfig.js';

const logger = pino({ level: 'silent' });
const T0 = 1_700_000_000_000;
let dir: string;

const configOf = (configs: Record<string, string> = {}) =>
  resolveTopicConfig({ 'cleanup.policy': 'compact', ...configs }, {});
const open = (config: TopicConfig) => PartitionLog.open(dir, 't', 0, config, logger);
const options = (now: number, extra: Partial<CleanLogOptions> = {}): CleanLogOptions => ({
  now,
  force: true,
  maxOffsetMapEntries: 1_000_000,
  running: () => true,
  ...extra,
});

type KV = [key: string, value: string | null];

async function batchOf(records: KV[], timestamp = T0, attributes = 0, extra = {}) {
  const buf = await encodeBatch({
    records: records.map(([k, v], i): NewRecord => ({
      key: Buffer.from(k),
      value: v === null ? null : Buffer.from(v),
      timestamp: timestamp + i,
    })),
    attributes,
    ...extra,
  });
  return { buf, header: readBatchHeader(buf) };
}

async function append(log: PartitionLog, records: KV[], timestamp = T0, attributes = 0) {
  const { buf, header } = await batchOf(records, timestamp, attributes);
  return log.append(buf, header, timestamp);
}

interface Stored {
  offset: bigint;
  key: string;
  value: string | null;
}

/** Every batch from the log start, read as a consumer would (a read at a gap gets the next batch). */
function batches(log: PartitionLog): { buf: Buffer; header: BatchHeader }[] {
  const out: { buf: Buffer; header: BatchHeader }[] = [];
  let offset = log.logStartOffset;
  while (offset < log.highWatermark) {
    const data = log.read(offset, 1 << 20, log.highWatermark, true);
    if (data.length === 0) break;
    for (let at = 0; at < data.length;) {
      const header = readBatchHeader(data, at);
      out.push({ buf: data.subarray(at, at + header.size), header });
      offset = header.baseOffset + BigInt(header.lastOffsetDelta) + 1n;
      at += header.size;
    }
  }
  return out;
}

async function records(log: PartitionLog): Promise<Stored[]> {
  const out: Stored[] = [];
  for (const { buf, header } of batches(log)) {
    if (header.attributes & Attributes.CONTROL) continue;
    for (const r of await decodeRecords(buf)) {
      out.push({ offset: r.offset, key: r.key!.toString(), value: r.value?.toString() ?? null });
    }
  }
  return out;
}

/** The last record of each key, as compaction should leave them. */
function latest(all: Stored[]): Stored[] {
  const byKey = new Map<string, Stored>();
  for (const r of all) byKey.set(r.key, r);
  return [...byKey.values()].sort((a, b) => (a.offset < b.offset ? -1 : 1));
}

/** 10 keys × 10 updates, one batch per round, each round at its own time. */
async function fillUpdates(log: PartitionLog, rounds = 10, keys = 10): Promise<Stored[]> {
  const all: Stored[] = [];
  for (let round = 0; round < rounds; round++) {
    const kvs: KV[] = Array.from({ length: keys }, (_, k) => [`key-${k}`, `v${round}-${k}`]);
    // Shuffle the key order a little, so that the survivors are scattered within batches.
    if (round % 2) kvs.reverse();
    const { baseOffset } = await append(log, kvs, T0 + round * 1000);
    kvs.forEach(([key, value], i) => all.push({ offset: baseOffset + BigInt(i), key, value }));
  }
  return all;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kes-clean-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('cleanLog', () => {
  it('keeps the latest value of each key at its original offset, in order, with valid batches', async () => {
    const log = open(configOf({ 'segment.bytes': '700', 'index.interval.bytes': '100' }));
    const all = await fillUpdates(log);
    log.roll();
    const before = batches(log);
    const segmentsBefore = log.segmentCount;
    const hw = log.highWatermark;

    // Segments of about 660 bytes: the cleaner merges them two by two.
    const config = configOf({ 'segment.bytes': '1500', 'index.interval.bytes': '100' });
    const result = await cleanLog(log, config, new CleanerMemory(), options(T0 + 60_000));
    expect(result).toMatchObject({ completed: true, recordsRemoved: 90, cleanedEnd: hw });
    expect(result!.bytesAfter).toBeLessThan(result!.bytesBefore);

    expect(await records(log)).toEqual(latest(all));
    expect(log.highWatermark).toBe(hw);
    expect(log.logStartOffset).toBe(0n);
    // Small segments were merged; every batch kept its offset range and is valid.
    expect(log.segmentCount).toBeLessThan(segmentsBefore);
    const ranges = new Set(before.map((b) => `${b.header.baseOffset}+${b.header.lastOffsetDelta}`));
    for (const { buf, header } of batches(log)) {
      expect(hasValidCrc(buf)).toBe(true);
      expect(ranges.has(`${header.baseOffset}+${header.lastOffsetDelta}`)).toBe(true);
      expect(header.recordCount).toBeLessThanOrEqual(header.lastOffsetDelta + 1);
    }
    // A read at a removed offset returns the batch that holds the next surviving record.
    const survivors = latest(all);
    const firstBatch = readBatchHeader(log.read(0n, 1, hw, true));
    expect(firstBatch.baseOffset + BigInt(firstBatch.lastOffsetDelta)).toBeGreaterThanOrEqual(
      survivors[0]!.offset,
    );
    const decoded = await decodeRecords(log.read(1n, 1, hw, true));
    expect(decoded[0]!.offset).toBe(survivors[0]!.offset);
    log.close();
  });

  it('never touches the active segment', async () => {
    const config = configOf({ 'segment.bytes': '100000' });
    const log = open(config);
    const older = await fillUpdates(log, 3);
    log.roll();
    const active = await fillUpdates(log, 3);
    const result = await cleanLog(log, config, new CleanerMemory(), options(T0 + 60_000));
    expect(result).toMatchObject({ completed: true, recordsRemoved: 20 });
    // As in Kafka, the offset map covers the cleanable range only: the closed segment keeps the
    // last value of each key there, the active segment keeps everything.
    expect(await records(log)).toEqual([...older.slice(20), ...active]);
    // Nothing is cleanable without a roll.
    expect(await cleanLog(log, config, new CleanerMemory(), options(T0 + 60_000))).toMatchObject({
      recordsRemoved: 0,
    });
    expect(await records(log)).toEqual([...older.slice(20), ...active]);
    log.close();
  });

  it('keeps tombstones until delete.retention.ms after the first pass that saw them', async () => {
    const config = configOf({ 'delete.retention.ms': '10000' });
    let log = open(config);
    await append(log, [
      ['a', 'a1'],
      ['b', 'b1'],
    ]);
    await append(log, [
      ['a', null],
      ['c', 'c1'],
    ]);
    log.roll();
    const memory = new CleanerMemory();
    await cleanLog(log, config, memory, options(T0));
    const withTombstone = [
      { offset: 1n, key: 'b', value: 'b1' },
      { offset: 2n, key: 'a', value: null },
      { offset: 3n, key: 'c', value: 'c1' },
    ];
    expect(await records(log)).toEqual(withTombstone);
    await cleanLog(log, config, memory, options(T0 + 9_999));
    expect(await records(log)).toEqual(withTombstone);
    await cleanLog(log, config, memory, options(T0 + 10_000));
    expect(await records(log)).toEqual(withTombstone.filter((r) => r.key !== 'a'));

    // A tombstone written later waits for its own delete.retention.ms; the memory is in memory
    // only, so after a restart the first pass counts as the first to see it.
    await append(log, [['b', null]]);
    log.roll();
    await cleanLog(log, config, memory, options(T0 + 20_000));
    log.close();
    log = open(config);
    const restarted = new CleanerMemory();
    await cleanLog(log, config, restarted, options(T0 + 30_000));
    expect((await records(log)).map((r) => r.key)).toEqual(['c', 'b']);
    await cleanLog(log, config, restarted, options(T0 + 40_000));
    expect(await records(log)).toEqual([{ offset: 3n, key: 'c', value: 'c1' }]);
    log.close();
  });

  it('honours min.compaction.lag.ms: segments with newer records are not cleanable', async () => {
    const config = configOf({ 'min.compaction.lag.ms': '3600000', 'segment.bytes': '100000' });
    const log = open(config);
    await append(log, [['k', 'old']], T0);
    log.roll();
    await append(log, [['k', 'newer']], T0 + 3_000_000);
    log.roll();
    await append(log, [['k', 'newest']], T0 + 7_200_000);
    // At T0 + 1 h only the first segment is old enough; it has nothing to drop (its key's later
    // values are beyond the cleanable range, outside the offset map).
    expect(await cleanLog(log, config, new CleanerMemory(), options(T0 + 3_600_000))).toMatchObject({
      cleanedEnd: 1n,
      recordsRemoved: 0,
    });
    expect(await cleanLog(log, config, new CleanerMemory(), options(T0 + 3_599_000))).toBeUndefined();
    // An hour after the second one, both are cleanable; the active segment still is not.
    expect(await cleanLog(log, config, new CleanerMemory(), options(T0 + 6_600_000))).toMatchObject({
      cleanedEnd: 2n,
      recordsRemoved: 1,
    });
    expect((await records(log)).map((r) => r.value)).toEqual(['newer', 'newest']);
    log.close();
  });

  it('cleans when the dirty ratio reaches min.cleanable.dirty.ratio, or a dirty record passes max.compaction.lag.ms', async () => {
    const config = configOf({ 'min.cleanable.dirty.ratio': '0.5', 'segment.bytes': '100000' });
    const log = open(config);
    await fillUpdates(log, 10);
    log.roll();
    const unforced = (now: number, c = config) =>
      cleanLog(log, c, new CleanerMemory(), options(now, { force: false }));
    // Everything is dirty before the first pass.
    expect(await unforced(T0)).toMatchObject({
      completed: true,
      plan: { dirtyRatio: 1, reason: 'dirty-ratio' },
    });
    expect(log.cleanerCheckpoint).toBe(100n);
    expect(await unforced(T0)).toBeUndefined();

    // One more update of a single key: well under half of the cleanable bytes.
    await append(log, [['key-0', 'again']]);
    log.roll();
    expect(await unforced(T0)).toBeUndefined();
    // Ten more rounds make the dirty part the larger one.
    await fillUpdates(log, 10);
    log.roll();
    const due = await unforced(T0 + 60_000);
    expect(due?.plan.dirtyRatio).toBeGreaterThanOrEqual(0.5);
    expect(due?.plan.reason).toBe('dirty-ratio');

    // A small dirty part whose records are older than max.compaction.lag.ms is due anyway.
    await append(log, [['key-1', 'late']], T0 + 100_000);
    log.roll();
    expect(await unforced(T0 + 200_000)).toBeUndefined();
    const lagged = configOf({ 'min.cleanable.dirty.ratio': '0.99', 'max.compaction.lag.ms': '50000' });
    expect((await unforced(T0 + 200_000, lagged))?.plan.reason).toBe('max-compaction-lag');
    log.close();
  });

  it('recompresses gzip batches with gzip and keeps batches it cannot read as they are', async () => {
    const config = configOf();
    const log = open(config);
    const all: Stored[] = [];
    for (let round = 0; round < 3; round++) {
      const kvs: KV[] = Array.from({ length: 20 }, (_, k) => [`k${k % 7}`, `r${round}-${k}`]);
      const { baseOffset } = await append(log, kvs, T0, 1 /* gzip */);
      kvs.forEach(([key, value], i) => all.push({ offset: baseOffset + BigInt(i), key, value }));
    }
    // A batch in a codec Node cannot decompress (marked snappy here) is opaque to the cleaner.
    const opaque = await batchOf([['k0', 'opaque']]);
    opaque.buf.writeInt16BE(2, 21);
    rewriteCrc(opaque.buf);
    log.append(opaque.buf, readBatchHeader(opaque.buf), T0);
    log.roll();
    await cleanLog(log, config, new CleanerMemory(), options(T0));
    const stored = batches(log);
    expect(stored.map((b) => codecOf(b.header.attributes))).toEqual([1, 2]);
    for (const { buf } of stored) expect(hasValidCrc(buf)).toBe(true);
    expect(stored[1]!.buf.equals(opaque.buf)).toBe(true);
    const decoded = (await decodeRecords(stored[0]!.buf)).map((r) => ({
      offset: r.offset,
      key: r.key!.toString(),
      value: r.value!.toString(),
    }));
    expect(decoded).toEqual(latest(all));
    log.close();
  });

  it('removes aborted transactions, and markers once their data is gone and delete.retention.ms passed', async () => {
    const config = configOf({ 'delete.retention.ms': '1000' });
    const txn = { producerId: 7n, producerEpoch: 0 };
    const transactional = Attributes.TRANSACTIONAL;
    // Offsets: 0 y=plain; 1-2 aborted {x, y}; 3 ABORT; 4 committed x; 5 COMMIT; 6 x=plain.
    await writeSegments(dir, [
      [
        await batchOf([['y', 'plain']]),
        await batchOf(
          [
            ['x', 'aborted'],
            ['y', 'aborted'],
          ],
          T0,
          transactional,
          { ...txn, baseSequence: 0 },
        ),
        await marker(7n, false),
        await batchOf([['x', 'committed']], T0, transactional, { ...txn, baseSequence: 2 }),
        await marker(7n, true),
      ],
    ]);
    const log = open(config);
    let aborted: AbortedTransaction[] = [{ producerId: 7n, firstOffset: 1n, lastOffset: 3n }];
    log.abortedTransactions = () => aborted;
    const memory = new CleanerMemory();
    const kinds = () =>
      batches(log).map((b) =>
        b.header.attributes & Attributes.CONTROL
          ? `marker@${b.header.baseOffset}`
          : `data@${b.header.baseOffset}`,
      );

    await cleanLog(log, config, memory, options(T0));
    // The aborted y did not shadow the committed one before it.
    expect(await records(log)).toEqual([
      { offset: 0n, key: 'y', value: 'plain' },
      { offset: 4n, key: 'x', value: 'committed' },
    ]);
    expect(kinds()).toEqual(['data@0', 'marker@3', 'data@4', 'marker@5']);
    await cleanLog(log, config, memory, options(T0 + 5_000));
    // The ABORT marker stays while the partition lists its transaction.
    expect(kinds()).toEqual(['data@0', 'marker@3', 'data@4', 'marker@5']);

    // A later plain x supersedes the committed one: the COMMIT marker's data is gone.
    const plain = await batchOf([['x', 'plain']]);
    log.append(plain.buf, plain.header, T0);
    log.roll();
    aborted = [];
    await cleanLog(log, config, memory, options(T0 + 10_000));
    // Unlisted, the ABORT marker goes: its data has been gone since the first pass.
    expect(kinds()).toEqual(['data@0', 'marker@5', 'data@6']);
    await cleanLog(log, config, memory, options(T0 + 10_999));
    expect(kinds()).toEqual(['data@0', 'marker@5', 'data@6']);
    await cleanLog(log, config, memory, options(T0 + 11_000));
    expect(kinds()).toEqual(['data@0', 'data@6']);
    log.close();
  });

  it('keeps the compacted result and the checkpoint across a restart, and reads old partition.json files', async () => {
    const config = configOf({ 'segment.bytes': '700' });
    let log = open(config);
    const all = await fillUpdates(log);
    log.roll();
    await cleanLog(log, config, new CleanerMemory(), options(T0));
    const cleaned = await records(log);
    log.close();
    const state = JSON.parse(fs.readFileSync(path.join(dir, 'partition.json'), 'utf8'));
    expect(state).toMatchObject({ formatVersion: 2, firstDirtyOffset: '100' });

    log = open(config);
    expect(await records(log)).toEqual(cleaned);
    expect(cleaned).toEqual(latest(all));
    expect(log.cleanerCheckpoint).toBe(100n);
    expect(await cleanLog(log, config, new CleanerMemory(), options(T0, { force: false }))).toBeUndefined();
    expect((await append(log, [['n', 'next']])).baseOffset).toBe(100n);
    log.close();

    fs.writeFileSync(
      path.join(dir, 'partition.json'),
      JSON.stringify({ formatVersion: 1, logStartOffset: '0' }),
    );
    log = open(config);
    expect(log.cleanerCheckpoint).toBeUndefined();
    expect(await records(log)).toEqual([...cleaned, { offset: 100n, key: 'n', value: 'next' }]);
    log.close();
  });

  it('gives up a pass when retention or DeleteRecords removes its segments meanwhile', async () => {
    const config = configOf({ 'segment.bytes': '700' });
    const log = open(config);
    const all = await fillUpdates(log);
    log.roll();
    const pass = cleanLog(log, config, new CleanerMemory(), options(T0));
    // The pass is at its first await; DeleteRecords now drops the first segment.
    const start = log.deleteRecordsBefore(30n);
    expect(await pass).toBeUndefined();
    expect(fs.readdirSync(dir).filter((f) => /cleaned|swap/.test(f))).toEqual([]);
    expect(await records(log)).toEqual(all.filter((r) => r.offset >= start));
    log.close();
  });
});

describe('crash safety of the segment swap', () => {
  /**
   * Two copies of a log of four segments, one of them cleaned; returns the first cleaned run (two
   * segments merged) and what a crash during its swap must leave.
   */
  async function prepare() {
    const config = configOf({ 'segment.bytes': '700' });
    const cleanDir = path.join(dir, 'cleaned');
    const crashDir = path.join(dir, 'crashed');
    fs.mkdirSync(cleanDir);
    let log = PartitionLog.open(cleanDir, 't', 0, config, logger);
    for (let round = 0; round < 10; round++) {
      // Shared keys, updated every round, and one key of the round's own, which survives.
      const kvs: KV[] = Array.from({ length: 8 }, (_, k) => [`key-${k}`, `v${round}`]);
      await append(log, [...kvs, [`only-${round}`, `v${round}`]]);
    }
    log.roll();
    const originalRecords = await records(log);
    log.close();
    fs.cpSync(cleanDir, crashDir, { recursive: true });
    log = PartitionLog.open(cleanDir, 't', 0, config, logger);
    const original = fs.readdirSync(cleanDir).filter((f) => f.endsWith('.log'));
    // Segments of about 660 bytes, cleaned two by two.
    const merging = configOf({ 'segment.bytes': '1500' });
    const result = await cleanLog(log, merging, new CleanerMemory(), options(T0));
    expect(result?.completed).toBe(true);
    const cleanedRecords = await records(log);
    log.close();
    const after = fs.readdirSync(cleanDir).filter((f) => f.endsWith('.log'));
    const end = BigInt(after[1]!.slice(0, 20));
    const replaced = original.filter((f) => BigInt(f.slice(0, 20)) < end);
    expect(replaced.length).toBe(2);
    const cleanedData = fs.readFileSync(path.join(cleanDir, after[0]!));
    const expected = [
      ...cleanedRecords.filter((r) => r.offset < end),
      ...originalRecords.filter((r) => r.offset >= end),
    ];
    expect(expected.length).toBeLessThan(originalRecords.length);
    const swapName = `${'0'.padStart(20, '0')}-${end.toString().padStart(20, '0')}.log`;
    return { config, crashDir, expected, cleanedData, replaced, swapName };
  }

  const reopen = async (crashDir: string, config: TopicConfig) => {
    const log = PartitionLog.open(crashDir, 't', 0, config, logger);
    const out = await records(log);
    log.close();
    return out;
  };

  it('discards an unfinished .cleaned file: the old segments are intact', async () => {
    const { config, crashDir, cleanedData, swapName } = await prepare();
    const before = await reopen(crashDir, config);
    fs.writeFileSync(path.join(crashDir, `${swapName}.cleaned`), cleanedData.subarray(0, 50));
    expect(await reopen(crashDir, config)).toEqual(before);
    expect(fs.readdirSync(crashDir).some((f) => f.endsWith('.cleaned'))).toBe(false);
  });

  it('finishes a swap interrupted before, during or after deleting the old segments', async () => {
    const { config, crashDir, expected, cleanedData, replaced, swapName } = await prepare();
    const pristine = path.join(dir, 'pristine');
    fs.cpSync(crashDir, pristine, { recursive: true });
    for (const deleted of [0, 1, replaced.length]) {
      fs.rmSync(crashDir, { recursive: true });
      fs.cpSync(pristine, crashDir, { recursive: true });
      fs.writeFileSync(path.join(crashDir, `${swapName}.swap`), cleanedData);
      for (const file of replaced.slice(0, deleted)) fs.rmSync(path.join(crashDir, file));
      expect(await reopen(crashDir, config)).toEqual(expected);
      const files = fs.readdirSync(crashDir);
      expect(files.some((f) => f.endsWith('.swap'))).toBe(false);
      expect(files.filter((f) => replaced.includes(f))).toEqual([replaced[0]]);
    }
  });
});

/** A control batch (transaction marker) of one record, as the coordinator writes it. */
function marker(producerId: bigint, commit: boolean) {
  const key = Buffer.alloc(4);
  key.writeInt16BE(commit ? 1 : 0, 2);
  const value = Buffer.alloc(6);
  return batchOf([], T0, Attributes.TRANSACTIONAL | Attributes.CONTROL, {
    records: [{ key, value, timestamp: T0 }],
    producerId,
    producerEpoch: 0,
  });
}

/** Writes segments straight to disk, offsets assigned in order, plus an empty active segment. */
async function writeSegments(at: string, segments: { buf: Buffer; header: BatchHeader }[][]) {
  let next = 0n;
  for (const batchesOfSegment of segments) {
    const segment = Segment.create(at, next);
    for (const { buf } of batchesOfSegment) {
      buf.writeBigInt64BE(next, 0);
      const header = readBatchHeader(buf);
      segment.append(buf, header, 4096);
      next += BigInt(header.lastOffsetDelta) + 1n;
    }
    segment.saveIndex();
    segment.close();
  }
  Segment.create(at, next).close();
}
