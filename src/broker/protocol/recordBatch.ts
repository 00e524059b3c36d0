import { canDecompress, Codec, compress, decompress } from './compression.js';
import { crc32c } from './crc32c.js';
import { ProtocolError } from './protocolError.js';
import { Reader } from './reader.js';
import { Writer } from './writer.js';

/**
 * Record batch format v2 (magic 2), the unit Kafka stores and serves.
 * https://kafka.apache.org/documentation/#recordbatch
 *
 *   baseOffset: int64          0
 *   batchLength: int32         8   (bytes after this field)
 *   partitionLeaderEpoch: int32 12
 *   magic: int8                16  (2)
 *   crc: uint32                17  (CRC-32C of attributes .. end)
 *   attributes: int16          21
 *   lastOffsetDelta: int32     23
 *   baseTimestamp: int64       27
 *   maxTimestamp: int64        35
 *   producerId: int64          43
 *   producerEpoch: int16       51
 *   baseSequence: int32        53
 *   recordCount: int32         57
 *   records                    61
 */
export const BatchLayout = {
  BASE_OFFSET: 0,
  LENGTH: 8,
  LEADER_EPOCH: 12,
  MAGIC: 16,
  CRC: 17,
  ATTRIBUTES: 21,
  LAST_OFFSET_DELTA: 23,
  BASE_TIMESTAMP: 27,
  MAX_TIMESTAMP: 35,
  PRODUCER_ID: 43,
  PRODUCER_EPOCH: 51,
  BASE_SEQUENCE: 53,
  RECORD_COUNT: 57,
  HEADER_SIZE: 61,
  /** Bytes before batchLength counts: baseOffset and batchLength themselves. */
  LOG_OVERHEAD: 12,
} as const;

export const Attributes = {
  CODEC_MASK: 0x07,
  LOG_APPEND_TIME: 0x08,
  TRANSACTIONAL: 0x10,
  CONTROL: 0x20,
} as const;

export interface BatchHeader {
  baseOffset: bigint;
  /** Whole batch size in bytes, including baseOffset and batchLength. */
  size: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface KafkaRecord {
  offset: bigint;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

export const codecOf = (attributes: number) => attributes & Attributes.CODEC_MASK;
export const isTransactional = (attributes: number) => (attributes & Attributes.TRANSACTIONAL) !== 0;
export const isControl = (attributes: number) => (attributes & Attributes.CONTROL) !== 0;

/** Reads the fixed header of the batch at `at`. The caller checks that HEADER_SIZE bytes exist. */
export function readBatchHeader(buf: Buffer, at = 0): BatchHeader {
  return {
    baseOffset: buf.readBigInt64BE(at + BatchLayout.BASE_OFFSET),
    size: buf.readInt32BE(at + BatchLayout.LENGTH) + BatchLayout.LOG_OVERHEAD,
    magic: buf.readInt8(at + BatchLayout.MAGIC),
    crc: buf.readUInt32BE(at + BatchLayout.CRC),
    attributes: buf.readInt16BE(at + BatchLayout.ATTRIBUTES),
    lastOffsetDelta: buf.readInt32BE(at + BatchLayout.LAST_OFFSET_DELTA),
    baseTimestamp: Number(buf.readBigInt64BE(at + BatchLayout.BASE_TIMESTAMP)),
    maxTimestamp: Number(buf.readBigInt64BE(at + BatchLayout.MAX_TIMESTAMP)),
    producerId: buf.readBigInt64BE(at + BatchLayout.PRODUCER_ID),
    producerEpoch: buf.readInt16BE(at + BatchLayout.PRODUCER_EPOCH),
    baseSequence: buf.readInt32BE(at + BatchLayout.BASE_SEQUENCE),
    recordCount: buf.readInt32BE(at + BatchLayout.RECORD_COUNT),
  };
}

/** The CRC a batch should carry, computed over attributes .. end. */
export const computeBatchCrc = (batch: Buffer) => crc32c(batch, BatchLayout.ATTRIBUTES, batch.length);

export const hasValidCrc = (batch: Buffer) =>
  batch.length >= BatchLayout.HEADER_SIZE && batch.readUInt32BE(BatchLayout.CRC) === computeBatchCrc(batch);

export function rewriteCrc(batch: Buffer): void {
  batch.writeUInt32BE(computeBatchCrc(batch), BatchLayout.CRC);
}

/**
 * Walks the records of an uncompressed record section, checking structure: lengths consistent,
 * offset deltas 0..n-1, exactly `count` records. Calls `visit` with each record's key when given.
 */
export function checkRecords(
  records: Buffer,
  count: number,
  visit?: (key: Buffer | null, value: Buffer | null) => void,
): void {
  const r = new Reader(records);
  for (let i = 0; i < count; i++) {
    const length = r.varint();
    if (length <= 0 || length > r.remaining) throw new ProtocolError(`record ${i}: invalid length ${length}`);
    const end = r.offset + length;
    r.int8(); // attributes (unused in v2)
    r.varlong(); // timestamp delta
    const offsetDelta = r.varint();
    if (offsetDelta !== i) throw new ProtocolError(`record ${i}: offset delta ${offsetDelta}`);
    const keyLength = r.varint();
    const key = keyLength < 0 ? null : r.raw(keyLength);
    const valueLength = r.varint();
    const value = valueLength < 0 ? null : r.raw(valueLength);
    const headerCount = r.varint();
    if (headerCount < 0) throw new ProtocolError(`record ${i}: invalid header count`);
    for (let h = 0; h < headerCount; h++) {
      const headerKeyLength = r.varint();
      if (headerKeyLength < 0) throw new ProtocolError(`record ${i}: null header key`);
      r.raw(headerKeyLength);
      const headerValueLength = r.varint();
      if (headerValueLength >= 0) r.raw(headerValueLength);
    }
    if (r.offset !== end) throw new ProtocolError(`record ${i}: length ${length} does not match its fields`);
    visit?.(key, value);
  }
  if (r.remaining !== 0) throw new ProtocolError(`${r.remaining} bytes after the last record`);
}

/** The records of one batch, decompressed if needed. */
export async function decodeRecords(batch: Buffer): Promise<KafkaRecord[]> {
  const header = readBatchHeader(batch);
  const codec = codecOf(header.attributes);
  if (!canDecompress(codec)) throw new ProtocolError(`cannot read records compressed with codec ${codec}`);
  const data = await decompress(codec, batch.subarray(BatchLayout.HEADER_SIZE, header.size));
  const r = new Reader(data);
  // With LogAppendTime every record carries the time the broker stamped on the batch.
  const appendTime = header.attributes & Attributes.LOG_APPEND_TIME ? header.maxTimestamp : undefined;
  const out: KafkaRecord[] = [];
  for (let i = 0; i < header.recordCount; i++) {
    r.varint(); // length
    r.int8();
    const timestampDelta = r.varlongNumber();
    const offsetDelta = r.varint();
    const keyLength = r.varint();
    const key = keyLength < 0 ? null : Buffer.from(r.raw(keyLength));
    const valueLength = r.varint();
    const value = valueLength < 0 ? null : Buffer.from(r.raw(valueLength));
    const headers: RecordHeader[] = [];
    const headerCount = r.varint();
    for (let h = 0; h < headerCount; h++) {
      const headerKey = r.raw(r.varint()).toString('utf8');
      const headerValueLength = r.varint();
      headers.push({
        key: headerKey,
        value: headerValueLength < 0 ? null : Buffer.from(r.raw(headerValueLength)),
      });
    }
    out.push({
      offset: header.baseOffset + BigInt(offsetDelta),
      timestamp: appendTime ?? header.baseTimestamp + timestampDelta,
      key,
      value,
      headers,
    });
  }
  return out;
}

export interface NewRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers?: RecordHeader[];
  timestamp?: number;
  /** Offset relative to the batch's base offset; default: the record's index. */
  offsetDelta?: number;
}

export interface NewBatch {
  records: NewRecord[];
  baseOffset?: bigint;
  attributes?: number;
  producerId?: bigint;
  producerEpoch?: number;
  baseSequence?: number;
  partitionLeaderEpoch?: number;
  /** Default: the largest offset delta. */
  lastOffsetDelta?: number;
}

/** Builds a batch with a correct length and CRC, compressing with the codec in its attributes. */
export async function encodeBatch(batch: NewBatch): Promise<Buffer> {
  const now = Date.now();
  const timestamps = batch.records.map((r) => r.timestamp ?? now);
  const baseTimestamp = timestamps.length > 0 ? Math.min(...timestamps) : now;
  const maxTimestamp = timestamps.length > 0 ? Math.max(...timestamps) : now;
  const records = new Writer();
  batch.records.forEach((record, i) => {
    const body = new Writer();
    body.int8(0);
    body.varlong(BigInt(timestamps[i]! - baseTimestamp));
    body.varint(record.offsetDelta ?? i);
    writeVarBytes(body, record.key);
    writeVarBytes(body, record.value);
    const headers = record.headers ?? [];
    body.varint(headers.length);
    for (const h of headers) {
      writeVarBytes(body, Buffer.from(h.key, 'utf8'));
      writeVarBytes(body, h.value);
    }
    const encoded = body.toBuffer();
    records.varint(encoded.length).raw(encoded);
  });
  const attributes = batch.attributes ?? 0;
  const payload = await compress(codecOf(attributes), records.toBuffer());
  const lastOffsetDelta =
    batch.lastOffsetDelta ?? Math.max(-1, ...batch.records.map((r, i) => r.offsetDelta ?? i));

  const out = Buffer.alloc(BatchLayout.HEADER_SIZE + payload.length);
  out.writeBigInt64BE(batch.baseOffset ?? 0n, BatchLayout.BASE_OFFSET);
  out.writeInt32BE(out.length - BatchLayout.LOG_OVERHEAD, BatchLayout.LENGTH);
  out.writeInt32BE(batch.partitionLeaderEpoch ?? 0, BatchLayout.LEADER_EPOCH);
  out.writeInt8(2, BatchLayout.MAGIC);
  out.writeInt16BE(attributes, BatchLayout.ATTRIBUTES);
  out.writeInt32BE(lastOffsetDelta, BatchLayout.LAST_OFFSET_DELTA);
  out.writeBigInt64BE(BigInt(baseTimestamp), BatchLayout.BASE_TIMESTAMP);
  out.writeBigInt64BE(BigInt(maxTimestamp), BatchLayout.MAX_TIMESTAMP);
  out.writeBigInt64BE(batch.producerId ?? -1n, BatchLayout.PRODUCER_ID);
  out.writeInt16BE(batch.producerEpoch ?? -1, BatchLayout.PRODUCER_EPOCH);
  out.writeInt32BE(batch.baseSequence ?? -1, BatchLayout.BASE_SEQUENCE);
  out.writeInt32BE(batch.records.length, BatchLayout.RECORD_COUNT);
  payload.copy(out, BatchLayout.HEADER_SIZE);
  rewriteCrc(out);
  return out;
}

function writeVarBytes(w: Writer, value: Buffer | null): void {
  if (value === null) w.varint(-1);
  else w.varint(value.length).raw(value);
}

export { Codec };
