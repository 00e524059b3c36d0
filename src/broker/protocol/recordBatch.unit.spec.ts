import { describe, expect, it } from 'vitest';
import { Codec } from './compression.js';
import { ErrorCode, KafkaError } from './errorCodes.js';
import {
  BatchLayout,
  decodeRecords,
  encodeBatch,
  hasValidCrc,
  readBatchHeader,
  rewriteCrc,
} from './recordBatch.js';
import { validateBatch } from './validateBatch.js';

const records = [
  {
    key: Buffer.from('k1'),
    value: Buffer.from('v1'),
    headers: [{ key: 'h', value: Buffer.from('x') }],
    timestamp: 1000,
  },
  {
    key: null,
    value: null,
    headers: [
      { key: 'h', value: null },
      { key: 'h', value: Buffer.from('y') },
    ],
    timestamp: 999,
  },
  { key: Buffer.from('k3'), value: Buffer.alloc(300, 1), timestamp: 2000 },
];

async function expectInvalid(
  batch: Buffer,
  rules = { requireKeys: false },
  code: number = ErrorCode.INVALID_RECORD,
) {
  const error = await validateBatch(batch, rules).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(KafkaError);
  expect((error as KafkaError).code).toBe(code);
  return (error as KafkaError).message;
}

describe('record batches', () => {
  for (const codec of [Codec.NONE, Codec.GZIP]) {
    it(`encode, validate and decode (codec ${codec})`, async () => {
      const batch = await encodeBatch({ records, attributes: codec, baseOffset: 42n });
      const header = await validateBatch(batch, { requireKeys: false });
      expect(header).toMatchObject({ baseOffset: 42n, recordCount: 3, lastOffsetDelta: 2, magic: 2 });
      expect(header.baseTimestamp).toBe(999);
      expect(header.maxTimestamp).toBe(2000);
      const decoded = await decodeRecords(batch);
      expect(decoded.map((r) => r.offset)).toEqual([42n, 43n, 44n]);
      expect(decoded[1]).toMatchObject({ key: null, value: null, timestamp: 999 });
      expect(decoded[1]!.headers).toEqual([
        { key: 'h', value: null },
        { key: 'h', value: Buffer.from('y') },
      ]);
      expect(decoded[2]!.value).toEqual(Buffer.alloc(300, 1));
    });
  }

  it('computes a CRC that excludes the base offset, so offsets can be assigned after it', async () => {
    const batch = await encodeBatch({ records });
    expect(hasValidCrc(batch)).toBe(true);
    batch.writeBigInt64BE(1234n, BatchLayout.BASE_OFFSET);
    expect(hasValidCrc(batch)).toBe(true);
    batch[BatchLayout.HEADER_SIZE + 3]! ^= 0xff;
    expect(hasValidCrc(batch)).toBe(false);
    rewriteCrc(batch);
    expect(hasValidCrc(batch)).toBe(true);
  });

  it('refuses malformed batches with INVALID_RECORD, and a CRC mismatch with CORRUPT_MESSAGE as Kafka does', async () => {
    const good = await encodeBatch({ records });
    const flipped = Buffer.from(good);
    flipped[good.length - 1]! ^= 1;
    expect(await expectInvalid(flipped, { requireKeys: false }, ErrorCode.CORRUPT_MESSAGE)).toMatch(/CRC/);

    const twoBatches = Buffer.concat([good, good]);
    expect(await expectInvalid(twoBatches)).toMatch(/exactly one record batch/);

    expect(await expectInvalid(good.subarray(0, 40))).toMatch(/shorter/);

    const wrongCount = Buffer.from(good);
    wrongCount.writeInt32BE(5, BatchLayout.RECORD_COUNT);
    rewriteCrc(wrongCount);
    expect(await expectInvalid(wrongCount)).toMatch(/record count/);

    const badMagic = Buffer.from(good);
    badMagic.writeInt8(1, BatchLayout.MAGIC);
    expect(await expectInvalid(badMagic)).toMatch(/magic/);

    const control = await encodeBatch({ records: [records[0]!], attributes: 0x20 });
    expect(await expectInvalid(control)).toMatch(/control/);
  });

  it('checks offset deltas inside the batch', async () => {
    const gap = await encodeBatch({
      records: [
        { ...records[0]!, offsetDelta: 0 },
        { ...records[2]!, offsetDelta: 2 },
      ],
      lastOffsetDelta: 1,
    });
    expect(await expectInvalid(gap)).toMatch(/offset delta/);
  });

  it('refuses records without a key when keys are required (compacted topics)', async () => {
    const batch = await encodeBatch({ records });
    expect(await expectInvalid(batch, { requireKeys: true })).toMatch(/key/);
  });

  it('reads the fixed header fields', async () => {
    const batch = await encodeBatch({
      records,
      producerId: 7n,
      producerEpoch: 3,
      baseSequence: 11,
      attributes: 0x10,
    });
    expect(readBatchHeader(batch)).toMatchObject({
      producerId: 7n,
      producerEpoch: 3,
      baseSequence: 11,
      attributes: 0x10,
      size: batch.length,
    });
  });
});
