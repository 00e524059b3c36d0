import { canDecompress, decompress } from '../protocol/compression.js';
import { ProtocolError } from '../protocol/protocolError.js';
import { Reader } from '../protocol/reader.js';
import { BatchLayout, codecOf, readBatchHeader } from '../protocol/recordBatch.js';

/**
 * One record of a batch as the log cleaner sees it: where it sits in the batch's (decompressed)
 * record section, its key, and whether it is a tombstone. The cleaner keeps records byte for byte,
 * so headers and values are never decoded.
 */
export interface RecordSlice {
  readonly offsetDelta: number;
  /** Relative to the batch's base timestamp. */
  readonly timestampDelta: number;
  readonly key: Buffer | null;
  /** A null value: a delete marker for its key. */
  readonly tombstone: boolean;
  /** The whole record, its length prefix included. */
  readonly bytes: Buffer;
}

/**
 * The records of a data batch, or undefined when its codec is one Node cannot read (snappy, lz4,
 * zstd): such batches are opaque to the cleaner.
 */
export async function readRecordSlices(batch: Buffer): Promise<RecordSlice[] | undefined> {
  const header = readBatchHeader(batch);
  const codec = codecOf(header.attributes);
  if (!canDecompress(codec)) return undefined;
  const data = await decompress(codec, batch.subarray(BatchLayout.HEADER_SIZE, header.size));
  const r = new Reader(data);
  const out: RecordSlice[] = [];
  for (let i = 0; i < header.recordCount; i++) {
    const start = r.offset;
    const length = r.varint();
    const end = r.offset + length;
    if (length <= 0 || end > data.length) throw new ProtocolError(`record ${i}: invalid length ${length}`);
    r.int8(); // attributes, unused in v2
    const timestampDelta = r.varlongNumber();
    const offsetDelta = r.varint();
    const keyLength = r.varint();
    const key = keyLength < 0 ? null : r.raw(keyLength);
    const valueLength = r.varint();
    r.offset = end;
    out.push({
      offsetDelta,
      timestampDelta,
      key,
      tombstone: valueLength < 0,
      bytes: data.subarray(start, end),
    });
  }
  return out;
}
