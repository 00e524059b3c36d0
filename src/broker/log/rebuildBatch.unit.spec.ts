import { describe, expect, it } from 'vitest';
import {
  Attributes,
  decodeRecords,
  encodeBatch,
  hasValidCrc,
  readBatchHeader,
} from '../protocol/recordBatch.js';
import { rebuildBatch } from './rebuildBatch.js';
import { readRecordSlices } from './recordSlices.js';

async function original(attributes: number) {
  return encodeBatch({
    baseOffset: 100n,
    attributes,
    producerId: 42n,
    producerEpoch: 3,
    baseSequence: 7,
    records: [
      { key: Buffer.from('a'), value: Buffer.from('1'), timestamp: 1000 },
      { key: Buffer.from('b'), value: null, timestamp: 1005 },
      {
        key: Buffer.from('c'),
        value: Buffer.from('3'),
        timestamp: 1002,
        headers: [{ key: 'h', value: Buffer.from([0xff, 0xfe]) }],
      },
      { key: Buffer.from('d'), value: Buffer.from('4'), timestamp: 1009 },
    ],
  });
}

describe('readRecordSlices and rebuildBatch', () => {
  it('read each record with its key and tombstone flag', async () => {
    const slices = await readRecordSlices(await original(0));
    expect(slices!.map((s) => [s.offsetDelta, s.key!.toString(), s.tombstone])).toEqual([
      [0, 'a', false],
      [1, 'b', true],
      [2, 'c', false],
      [3, 'd', false],
    ]);
    const snappy = await original(0);
    snappy.writeInt16BE(2, 21);
    expect(await readRecordSlices(snappy)).toBeUndefined();
  });

  for (const [name, attributes] of [
    ['uncompressed', 0],
    ['gzip', 1],
    ['gzip, transactional', 1 | Attributes.TRANSACTIONAL],
  ] as const) {
    it(`keeps offsets, producer fields and record bytes (${name})`, async () => {
      const batch = await original(attributes);
      const slices = (await readRecordSlices(batch))!;
      const rebuilt = await rebuildBatch(batch, [slices[1]!, slices[2]!]);
      expect(hasValidCrc(rebuilt)).toBe(true);
      const before = readBatchHeader(batch);
      const after = readBatchHeader(rebuilt);
      expect(after).toEqual({
        ...before,
        size: rebuilt.length,
        crc: after.crc,
        recordCount: 2,
        maxTimestamp: 1005,
      });
      const records = await decodeRecords(rebuilt);
      expect(
        records.map((r) => [r.offset, r.key!.toString(), r.value?.toString() ?? null, r.timestamp]),
      ).toEqual([
        [101n, 'b', null, 1005],
        [102n, 'c', '3', 1002],
      ]);
      expect(records[1]!.headers[0]!.value).toEqual(Buffer.from([0xff, 0xfe]));
    });
  }
});
