import { Attributes, type BatchHeader, decodeRecords } from '../protocol/recordBatch.js';
import type { Segment } from './segment.js';

/**
 * The first offset at or after `logStartOffset` whose record timestamp is at or after
 * `timestamp`, with that timestamp (ListOffsets by time); undefined when every record is older.
 * `segments()` is read afresh after each await, and files are only read synchronously, so
 * retention or compaction running meanwhile cannot pull a file from under it.
 */
export async function offsetForTimestamp(
  segments: () => readonly Segment[],
  logStartOffset: () => bigint,
  timestamp: number,
): Promise<{ offset: bigint; timestamp: number } | undefined> {
  let from = logStartOffset();
  for (;;) {
    const candidate = firstBatchReaching(segments(), timestamp, from);
    if (!candidate) return undefined;
    const { header, batch } = candidate;
    const start = logStartOffset();
    const atLeastStart = (offset: bigint) => (offset > start ? offset : start);
    if (header.attributes & Attributes.LOG_APPEND_TIME) {
      return { offset: atLeastStart(header.baseOffset), timestamp: header.maxTimestamp };
    }
    try {
      const records = await decodeRecords(batch);
      const record = records.find((r) => r.timestamp >= timestamp && r.offset >= logStartOffset());
      if (record) return { offset: record.offset, timestamp: record.timestamp };
    } catch {
      // A codec the broker cannot read: the batch is the best answer it has.
      return { offset: atLeastStart(header.baseOffset), timestamp: header.maxTimestamp };
    }
    from = header.baseOffset + BigInt(header.lastOffsetDelta) + 1n;
  }
}

/** The first data batch ending at or after `from` whose max timestamp reaches `timestamp`, read whole. */
function firstBatchReaching(
  segments: readonly Segment[],
  timestamp: number,
  from: bigint,
): { header: BatchHeader; batch: Buffer } | undefined {
  for (const segment of segments) {
    if (segment.maxTimestamp < timestamp || segment.nextOffset <= from) continue;
    for (const at of segment.batchesFrom(0)) {
      const { header } = at;
      if (header.maxTimestamp < timestamp || header.attributes & Attributes.CONTROL) continue;
      if (header.baseOffset + BigInt(header.lastOffsetDelta) < from) continue;
      return { header, batch: segment.readBatch(at) };
    }
  }
  return undefined;
}
