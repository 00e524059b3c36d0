import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { codecOf, decodeRecords, hasValidCrc, readBatchHeader, rewriteCrc } from '../protocol/recordBatch.js';
import { CleanerMemory } from './cleanerMemory.js';
import { cleanLog } from './cleanLog.js';
import {
  appendRecords,
  batches,
  batchOf,
  configOf,
  fillUpdates,
  type KV,
  latest,
  openLog,
  options,
  records,
  type Stored,
  T0,
} from './testing/cleanerTestKit.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kes-clean-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('cleanLog', () => {
  it('keeps the latest value of each key at its original offset, in order, with valid batches', async () => {
    const log = openLog(dir, configOf({ 'segment.bytes': '700', 'index.interval.bytes': '100' }));
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
    const log = openLog(dir, config);
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
    let log = openLog(dir, config);
    await appendRecords(log, [
      ['a', 'a1'],
      ['b', 'b1'],
    ]);
    await appendRecords(log, [
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
    await appendRecords(log, [['b', null]]);
    log.roll();
    await cleanLog(log, config, memory, options(T0 + 20_000));
    log.close();
    log = openLog(dir, config);
    const restarted = new CleanerMemory();
    await cleanLog(log, config, restarted, options(T0 + 30_000));
    expect((await records(log)).map((r) => r.key)).toEqual(['c', 'b']);
    await cleanLog(log, config, restarted, options(T0 + 40_000));
    expect(await records(log)).toEqual([{ offset: 3n, key: 'c', value: 'c1' }]);
    log.close();
  });

  it('honours min.compaction.lag.ms: segments with newer records are not cleanable', async () => {
    const config = configOf({ 'min.compaction.lag.ms': '3600000', 'segment.bytes': '100000' });
    const log = openLog(dir, config);
    await appendRecords(log, [['k', 'old']], T0);
    log.roll();
    await appendRecords(log, [['k', 'newer']], T0 + 3_000_000);
    log.roll();
    await appendRecords(log, [['k', 'newest']], T0 + 7_200_000);
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
    const log = openLog(dir, config);
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
    await appendRecords(log, [['key-0', 'again']]);
    log.roll();
    expect(await unforced(T0)).toBeUndefined();
    // Ten more rounds make the dirty part the larger one.
    await fillUpdates(log, 10);
    log.roll();
    const due = await unforced(T0 + 60_000);
    expect(due?.plan.dirtyRatio).toBeGreaterThanOrEqual(0.5);
    expect(due?.plan.reason).toBe('dirty-ratio');

    // A small dirty part whose records are older than max.compaction.lag.ms is due anyway.
    await appendRecords(log, [['key-1', 'late']], T0 + 100_000);
    log.roll();
    expect(await unforced(T0 + 200_000)).toBeUndefined();
    const lagged = configOf({ 'min.cleanable.dirty.ratio': '0.99', 'max.compaction.lag.ms': '50000' });
    expect((await unforced(T0 + 200_000, lagged))?.plan.reason).toBe('max-compaction-lag');
    log.close();
  });

  it('rolls a compacted log by max.compaction.lag.ms, so that its records become cleanable in time', async () => {
    const log = openLog(dir, configOf({ 'max.compaction.lag.ms': '1000' }));
    await appendRecords(log, [['k', 'v1']], T0);
    await appendRecords(log, [['k', 'v2']], T0 + 999);
    expect(log.segmentCount).toBe(1);
    await appendRecords(log, [['k', 'v3']], T0 + 1000);
    expect(log.segmentCount).toBe(2);
    log.close();
  });

  it('recompresses gzip batches with gzip and keeps batches it cannot read as they are', async () => {
    const config = configOf();
    const log = openLog(dir, config);
    const all: Stored[] = [];
    for (let round = 0; round < 3; round++) {
      const kvs: KV[] = Array.from({ length: 20 }, (_, k) => [`k${k % 7}`, `r${round}-${k}`]);
      const { baseOffset } = await appendRecords(log, kvs, T0, 1 /* gzip */);
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

  it('applies both compaction and retention with cleanup.policy=compact,delete', async () => {
    // Segments too large to merge: each is cleaned on its own.
    const config = configOf({
      'cleanup.policy': 'compact,delete',
      'retention.ms': '3600000',
      'segment.bytes': '100',
    });
    const log = openLog(dir, config);
    const now = Date.now();
    await appendRecords(
      log,
      [
        ['a', 'a1'],
        ['b', 'b1'],
      ],
      now - 7_200_000,
    ); // 0-1: expired
    log.roll();
    await appendRecords(
      log,
      [
        ['a', 'a2'],
        ['c', 'c1'],
      ],
      now - 60_000,
    ); // 2-3
    log.roll();
    await appendRecords(
      log,
      [
        ['b', 'b2'],
        ['c', 'c2'],
      ],
      now - 60_000,
    ); // 4-5
    log.roll();
    await cleanLog(log, config, new CleanerMemory(), options(now));
    expect((await records(log)).map((r) => r.value)).toEqual(['a2', 'b2', 'c2']);
    // The first segment, emptied by the cleaner, and expired anyway, goes; the rest is retained.
    expect(log.applyRetention(now)).toBe(1);
    expect(log.logStartOffset).toBe(2n);
    expect((await records(log)).map((r) => r.value)).toEqual(['a2', 'b2', 'c2']);
    // An emptied closed segment holds nothing to retain: retention drops it, whatever its age.
    await appendRecords(log, [['a', 'a3']], now);
    log.roll();
    await cleanLog(log, config, new CleanerMemory(), options(now));
    expect(log.applyRetention(now)).toBe(1);
    expect(log.logStartOffset).toBe(4n);
    expect((await records(log)).map((r) => r.value)).toEqual(['b2', 'c2', 'a3']);
    log.close();
  });

  it('keeps the compacted result and the checkpoint across a restart, and reads old partition.json files', async () => {
    const config = configOf({ 'segment.bytes': '700' });
    let log = openLog(dir, config);
    const all = await fillUpdates(log);
    log.roll();
    await cleanLog(log, config, new CleanerMemory(), options(T0));
    const cleaned = await records(log);
    log.close();
    const state = JSON.parse(fs.readFileSync(path.join(dir, 'partition.json'), 'utf8'));
    expect(state).toMatchObject({ formatVersion: 2, firstDirtyOffset: '100' });

    log = openLog(dir, config);
    expect(await records(log)).toEqual(cleaned);
    expect(cleaned).toEqual(latest(all));
    expect(log.cleanerCheckpoint).toBe(100n);
    expect(await cleanLog(log, config, new CleanerMemory(), options(T0, { force: false }))).toBeUndefined();
    expect((await appendRecords(log, [['n', 'next']])).baseOffset).toBe(100n);
    log.close();

    fs.writeFileSync(
      path.join(dir, 'partition.json'),
      JSON.stringify({ formatVersion: 1, logStartOffset: '0' }),
    );
    log = openLog(dir, config);
    expect(log.cleanerCheckpoint).toBeUndefined();
    expect(await records(log)).toEqual([...cleaned, { offset: 100n, key: 'n', value: 'next' }]);
    log.close();
  });

  it('gives up a pass when retention or DeleteRecords removes its segments meanwhile', async () => {
    const config = configOf({ 'segment.bytes': '700' });
    const log = openLog(dir, config);
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
