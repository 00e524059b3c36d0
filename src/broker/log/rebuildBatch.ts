import { compress } from '../protocol/compression.js';
import { Attributes, BatchLayout, codecOf, readBatchHeader, rewriteCrc } from '../protocol/recordBatch.js';
import type { RecordSlice } from './recordSlices.js';

/**
 * A batch holding only `kept` of the records of `batch`, as the log cleaner writes it. The base
 * offset, last offset delta and every record's offset delta stay as they were, so the batch covers
 * the same offsets and consumers move past it as before; producer id, epoch, base sequence and
 * attributes stay too. The record count, length and CRC are recomputed, and the records are
 * compressed again with the batch's codec. For CreateTime batches the max timestamp becomes that
 * of the records kept.
 */
export async function rebuildBatch(batch: Buffer, kept: readonly RecordSlice[]): Promise<Buffer> {
  const header = readBatchHeader(batch);
  const records = await compress(codecOf(header.attributes), Buffer.concat(kept.map((r) => r.bytes)));
  const out = Buffer.alloc(BatchLayout.HEADER_SIZE + records.length);
  batch.copy(out, 0, 0, BatchLayout.HEADER_SIZE);
  out.writeInt32BE(out.length - BatchLayout.LOG_OVERHEAD, BatchLayout.LENGTH);
  out.writeInt32BE(kept.length, BatchLayout.RECORD_COUNT);
  if (!(header.attributes & Attributes.LOG_APPEND_TIME) && kept.length > 0) {
    const maxDelta = kept.reduce((max, r) => Math.max(max, r.timestampDelta), -Infinity);
    out.writeBigInt64BE(BigInt(header.baseTimestamp + maxDelta), BatchLayout.MAX_TIMESTAMP);
  }
  records.copy(out, BatchLayout.HEADER_SIZE);
  rewriteCrc(out);
  return out;
}
