import * as fs from 'node:fs';
import type { Logger } from 'pino';
import { Segment } from './segment.js';

/**
 * Opens a partition directory's segments, oldest first, recovering each (a torn tail is cut off)
 * and dropping any that overlaps its predecessor, which no clean append can produce. An empty
 * directory gets a first, empty segment at offset 0.
 */
export function openSegments(dir: string, indexIntervalBytes: number, logger: Logger): Segment[] {
  const bases = fs
    .readdirSync(dir)
    .filter((f) => /^\d{20}\.log$/.test(f))
    .map((f) => BigInt(f.slice(0, 20)))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const segments: Segment[] = [];
  for (const base of bases) {
    const { segment, recovery } = Segment.open(dir, base, indexIntervalBytes);
    if (recovery.truncatedBytes > 0) {
      logger.warn(
        { segment: segment.file, truncatedBytes: recovery.truncatedBytes, reason: recovery.reason },
        'truncated an incomplete tail of the log',
      );
    }
    const previous = segments.at(-1);
    if (previous && segment.baseOffset < previous.nextOffset) {
      logger.error({ segment: segment.file }, 'segment overlaps the previous one; removing it');
      segment.remove();
      continue;
    }
    segments.push(segment);
  }
  if (segments.length === 0) segments.push(Segment.create(dir, 0n));
  return segments;
}
