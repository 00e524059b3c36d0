import { type BatchHeader, isControl } from '../protocol/recordBatch.js';
import type { OffsetMap } from './offsetMap.js';
import { readRecordSlices } from './recordSlices.js';
import type { Segment } from './segment.js';

/** Bytes read between two yields to the event loop. */
export const YIELD_EVERY_BYTES = 256 * 1024;

export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface OffsetMapSource {
  /** The dirty segments, oldest first. */
  readonly segments: readonly Segment[];
  /** Records before this offset are clean and left out. */
  readonly from: bigint;
  /** The map stops growing at a segment boundary once it holds this many keys. */
  readonly maxEntries: number;
  readonly isAborted: (header: BatchHeader) => boolean;
  /** False once the segments changed or the cleaner stops: the build gives up. */
  readonly proceed: () => boolean;
}

/**
 * Fills `map` with the latest offset of every key in the dirty segments, skipping control batches,
 * aborted transactions and batches Node cannot decompress. Yields to the event loop as it goes.
 * Returns how many segments it covered (fewer than given when the map filled up), or undefined
 * when it gave up.
 */
export async function buildOffsetMap(map: OffsetMap, source: OffsetMapSource): Promise<number | undefined> {
  let sinceYield = 0;
  let covered = 0;
  for (const segment of source.segments) {
    if (covered > 0 && map.size >= source.maxEntries) break;
    for (const at of segment.batchesFrom(0)) {
      const { header } = at;
      sinceYield += header.size;
      if (header.baseOffset + BigInt(header.lastOffsetDelta) < source.from) continue;
      if (isControl(header.attributes) || source.isAborted(header)) continue;
      const records = await readRecordSlices(segment.readBatch(at));
      for (const record of records ?? []) {
        if (record.key) map.put(record.key, header.baseOffset + BigInt(record.offsetDelta));
      }
      if (sinceYield >= YIELD_EVERY_BYTES) {
        sinceYield = 0;
        await yieldToEventLoop();
      }
      if (!source.proceed()) return undefined;
    }
    covered++;
  }
  return covered;
}
