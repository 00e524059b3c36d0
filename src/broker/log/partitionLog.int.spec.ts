import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, KafkaError } from '../protocol/errorCodes.js';
import { decodeRecords, encodeBatch, readBatchHeader } from '../protocol/recordBatch.js';
import { PartitionLog } from './partitionLog.js';
import { resolveTopicConfig } from './topicConfig.js';

const logger = pino({ level: 'silent' });
let dir: string;
const open = (configs: Record<string, string> = {}) =>
  PartitionLog.open(dir, 't', 0, resolveTopicConfig(configs, {}), logger);

async function batch(values: string[], timestamp = Date.now()) {
  const buf = await encodeBatch({
    records: values.map((v, i) => ({
      key: Buffer.from(`k${v}`),
      value: Buffer.from(v),
      timestamp: timestamp + i,
    })),
  });
  return { buf, header: readBatchHeader(buf) };
}

async function append(log: PartitionLog, values: string[], timestamp?: number) {
  const { buf, header } = await batch(values, timestamp);
  return log.append(buf, header);
}

/** Every value in the log from `from`, read batch by batch as a consumer would. */
async function readAll(log: PartitionLog, from = log.logStartOffset): Promise<string[]> {
  const out: string[] = [];
  let offset = from;
  while (offset < log.highWatermark) {
    const data = log.read(offset, 1 << 20, log.highWatermark, true);
    let at = 0;
    while (at < data.length) {
      const header = readBatchHeader(data, at);
      for (const r of await decodeRecords(data.subarray(at, at + header.size))) {
        if (r.offset >= offset) out.push(r.value!.toString());
      }
      offset = header.baseOffset + BigInt(header.lastOffsetDelta) + 1n;
      at += header.size;
    }
  }
  return out;
}

function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof KafkaError) return err.code;
    throw err;
  }
  return undefined;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kes-log-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('PartitionLog', () => {
  it('assigns contiguous offsets and reads whole batches from any offset inside them', async () => {
    const log = open();
    expect(await append(log, ['a', 'b', 'c'])).toMatchObject({
      baseOffset: 0n,
      lastOffset: 2n,
      logAppendTime: -1,
    });
    expect(await append(log, ['d'])).toMatchObject({ baseOffset: 3n, lastOffset: 3n });
    expect(log.highWatermark).toBe(4n);
    const fromMiddle = log.read(1n, 1 << 20, 4n, true);
    expect(readBatchHeader(fromMiddle).baseOffset).toBe(0n);
    expect(await readAll(log)).toEqual(['a', 'b', 'c', 'd']);
    expect(log.read(4n, 1 << 20, 4n, true).length).toBe(0);
    expect(codeOf(() => log.read(5n, 100, 5n, true))).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    log.close();
  });

  it('stops at the limit offset, fits max bytes, and always returns a first batch', async () => {
    const log = open();
    for (let i = 0; i < 10; i++) await append(log, [`v${i}`.repeat(20)]);
    const one = log.read(0n, 1, 10n, true);
    expect(readBatchHeader(one).size).toBe(one.length);
    expect(log.read(0n, 1, 10n, false).length).toBe(0);
    const limited = log.read(0n, 1 << 20, 3n, true);
    let at = 0;
    let batches = 0;
    while (at < limited.length) {
      at += readBatchHeader(limited, at).size;
      batches++;
    }
    expect(batches).toBe(3);
    log.close();
  });

  it('rolls segments by size and serves reads across them, before and after a restart', async () => {
    let log = open({ 'segment.bytes': '300', 'index.interval.bytes': '100' });
    const values = Array.from({ length: 40 }, (_, i) => `value-${i}`);
    for (const v of values) await append(log, [v]);
    expect(log.segmentCount).toBeGreaterThan(5);
    expect(await readAll(log, 17n)).toEqual(values.slice(17));
    log.close();
    log = open({ 'segment.bytes': '300', 'index.interval.bytes': '100' });
    expect(log.highWatermark).toBe(40n);
    expect(await readAll(log)).toEqual(values);
    expect((await append(log, ['more'])).baseOffset).toBe(40n);
    log.close();
  });

  it('cuts a torn tail on open and keeps every complete batch', async () => {
    let log = open();
    for (let i = 0; i < 5; i++) await append(log, [`v${i}`]);
    log.close();
    const file = path.join(dir, '00000000000000000000.log');
    const size = fs.statSync(file).size;
    // The last write stopped half way, and the index file was never refreshed.
    fs.truncateSync(file, size - 7);
    fs.rmSync(path.join(dir, '00000000000000000000.index'));
    log = open();
    expect(log.highWatermark).toBe(4n);
    expect(await readAll(log)).toEqual(['v0', 'v1', 'v2', 'v3']);
    expect((await append(log, ['after'])).baseOffset).toBe(4n);
    log.close();
  });

  it('detects a corrupt batch past the saved index by its CRC and cuts from there', async () => {
    let log = open();
    await append(log, ['a']);
    log.close(); // index now covers 'a'
    log = open();
    await append(log, ['b']);
    await append(log, ['c']);
    // Simulate a crash: no close(), so the index still covers only 'a'.
    const file = path.join(dir, '00000000000000000000.log');
    const fd = fs.openSync(file, 'r+');
    const size = fs.fstatSync(fd).size;
    fs.writeSync(fd, Buffer.from([0xee]), 0, 1, size - 3); // flip a byte inside 'c'
    fs.closeSync(fd);
    const reopened = open();
    expect(await readAll(reopened)).toEqual(['a', 'b']);
    reopened.close();
  });

  it('ignores garbage after the last batch', async () => {
    let log = open();
    await append(log, ['a']);
    log.close();
    fs.appendFileSync(path.join(dir, '00000000000000000000.log'), Buffer.alloc(100, 0xab));
    log = open();
    expect(log.highWatermark).toBe(1n);
    expect(await readAll(log)).toEqual(['a']);
    log.close();
  });

  it('moves the log start on DeleteRecords, persistently', async () => {
    let log = open({ 'segment.bytes': '200' });
    for (let i = 0; i < 10; i++) await append(log, [`v${i}`]);
    const before = log.segmentCount;
    expect(log.deleteRecordsBefore(6n)).toBe(6n);
    expect(log.segmentCount).toBeLessThan(before);
    expect(codeOf(() => log.read(5n, 100, 10n, true))).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    expect(await readAll(log)).toEqual(['v6', 'v7', 'v8', 'v9']);
    expect(codeOf(() => log.deleteRecordsBefore(11n))).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    log.close();
    log = open({ 'segment.bytes': '200' });
    expect(log.logStartOffset).toBe(6n);
    expect(log.deleteRecordsBefore(-1n)).toBe(10n);
    expect(await readAll(log)).toEqual([]);
    expect((await append(log, ['x'])).baseOffset).toBe(10n);
    log.close();
  });

  it('applies retention by bytes and by time, rolling an expired active segment', async () => {
    const log = open({ 'segment.bytes': '200', 'retention.bytes': '400' });
    for (let i = 0; i < 20; i++) await append(log, [`v${i}`]);
    const size = log.sizeInBytes;
    expect(log.applyRetention()).toBeGreaterThan(0);
    expect(log.sizeInBytes).toBeLessThan(size);
    expect(log.sizeInBytes).toBeGreaterThanOrEqual(400 - 200);
    expect(log.logStartOffset).toBeGreaterThan(0n);
    log.close();

    fs.rmSync(dir, { recursive: true });
    const timed = open({ 'retention.ms': '1000' });
    const old = Date.now() - 10_000;
    await append(timed, ['old1'], old);
    await append(timed, ['old2'], old);
    expect(timed.applyRetention()).toBe(1);
    expect(timed.logStartOffset).toBe(2n);
    expect(timed.highWatermark).toBe(2n);
    await append(timed, ['new']);
    expect(timed.applyRetention()).toBe(0);
    expect(await readAll(timed)).toEqual(['new']);
    timed.close();
  });

  it('keeps data forever with retention.ms=-1', async () => {
    const log = open({ 'retention.ms': '-1', 'segment.bytes': '100' });
    for (let i = 0; i < 5; i++) await append(log, [`v${i}`], 1000);
    expect(log.applyRetention()).toBe(0);
    expect(log.logStartOffset).toBe(0n);
    log.close();
  });

  it('finds the first offset at or after a timestamp', async () => {
    const log = open({ 'segment.bytes': '200' });
    await append(log, ['a', 'b'], 1_000);
    await append(log, ['c'], 5_000);
    await append(log, ['d'], 9_000);
    expect(await log.offsetForTimestamp(0)).toEqual({ offset: 0n, timestamp: 1000 });
    expect(await log.offsetForTimestamp(1001)).toEqual({ offset: 1n, timestamp: 1001 });
    expect(await log.offsetForTimestamp(1002)).toEqual({ offset: 2n, timestamp: 5000 });
    expect(await log.offsetForTimestamp(9000)).toEqual({ offset: 3n, timestamp: 9000 });
    expect(await log.offsetForTimestamp(9001)).toBeUndefined();
    log.close();
  });

  it('stamps LogAppendTime and refuses batches over max.message.bytes', async () => {
    const log = open({ 'message.timestamp.type': 'LogAppendTime', 'max.message.bytes': '200' });
    const before = Date.now();
    const result = await append(log, ['a'], 5);
    expect((await decodeRecords(log.read(0n, 1000, 1n, true)))[0]!.timestamp).toBe(result.logAppendTime);
    expect(result.logAppendTime).toBeGreaterThanOrEqual(before);
    const stored = log.read(0n, 1000, 1n, true);
    expect(readBatchHeader(stored).maxTimestamp).toBe(result.logAppendTime);
    const { buf, header } = await batch(['x'.repeat(300)]);
    expect(codeOf(() => log.append(buf, header))).toBe(ErrorCode.MESSAGE_TOO_LARGE);
    log.close();
  });

  it('wakes append listeners', async () => {
    const log = open();
    let calls = 0;
    const off = log.onAppend(() => calls++);
    await append(log, ['a']);
    off();
    await append(log, ['b']);
    expect(calls).toBe(1);
    log.close();
  });

  describe('producers and transactions', () => {
    async function txnBatch(
      producerId: bigint,
      epoch: number,
      seq: number,
      values: string[],
      transactional = true,
    ) {
      const buf = await encodeBatch({
        records: values.map((v) => ({ key: Buffer.from(v), value: Buffer.from(v) })),
        producerId,
        producerEpoch: epoch,
        baseSequence: seq,
        attributes: transactional ? 0x10 : 0,
      });
      return { buf, header: readBatchHeader(buf) };
    }

    it('answers a retried batch with its original offsets and appends nothing', async () => {
      const log = open();
      const first = await txnBatch(7n, 0, 0, ['a', 'b'], false);
      expect(log.append(Buffer.from(first.buf), first.header)).toMatchObject({
        baseOffset: 0n,
        duplicate: false,
      });
      const retry = await txnBatch(7n, 0, 0, ['a', 'b'], false);
      expect(log.append(retry.buf, retry.header)).toMatchObject({
        baseOffset: 0n,
        lastOffset: 1n,
        duplicate: true,
      });
      expect(log.highWatermark).toBe(2n);
      const gap = await txnBatch(7n, 0, 5, ['c'], false);
      expect(codeOf(() => log.append(gap.buf, gap.header))).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
      log.close();
    });

    it('holds the last stable offset at an open transaction and indexes aborts', async () => {
      const log = open();
      const t1 = await txnBatch(1n, 0, 0, ['a', 'b']);
      log.append(t1.buf, t1.header); // 0-1
      await append(log, ['plain']); // 2
      expect(log.lastStableOffset).toBe(0n);
      expect(log.highWatermark).toBe(3n);
      expect(log.appendMarker(1n, 0, false)).toBe(3n);
      expect(log.lastStableOffset).toBe(4n);
      expect(log.abortedTransactions()).toEqual([{ producerId: 1n, firstOffset: 0n, lastOffset: 3n }]);
      // The marker is a control batch the readers skip; it is served like any batch.
      const data = log.read(3n, 1000, 4n, true);
      expect(readBatchHeader(data).attributes & 0x20).toBe(0x20);
      log.close();
    });

    it('rebuilds producer state after a crash from its snapshot and the log after it', async () => {
      let log = open({ 'segment.bytes': '300' });
      const a = await txnBatch(1n, 0, 0, ['a']);
      log.append(a.buf, a.header); // 0, open
      log.checkpoint(); // snapshot at 1
      const b = await txnBatch(2n, 0, 0, ['b']);
      log.append(b.buf, b.header); // 1, open
      log.appendMarker(1n, 0, false); // 2: aborts producer 1
      const c = await txnBatch(3n, 4, 0, ['c'], false);
      log.append(c.buf, c.header); // 3
      // No close(): as after kill -9, the snapshot covers only offset 0.
      const expected = { lso: log.lastStableOffset, aborted: log.abortedTransactions() };
      log = open({ 'segment.bytes': '300' });
      expect(log.lastStableOffset).toBe(expected.lso);
      expect(log.lastStableOffset).toBe(1n);
      expect(log.abortedTransactions()).toEqual(expected.aborted);
      expect(log.hasOpenTransaction(2n)).toBe(true);
      const retry = await txnBatch(3n, 4, 0, ['c'], false);
      expect(log.append(retry.buf, retry.header)).toMatchObject({ duplicate: true, baseOffset: 3n });
      log.appendMarker(2n, 0, true);
      expect(log.lastStableOffset).toBe(log.highWatermark);
      log.close();
      log = open({ 'segment.bytes': '300' });
      expect(log.lastStableOffset).toBe(log.highWatermark);
      log.close();
    });
  });
});
