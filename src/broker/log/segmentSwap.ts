import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from 'pino';
import { fsyncDir } from '../storage/atomicFile.js';
import { Segment, segmentFileName } from './segment.js';

/**
 * How the log cleaner replaces a run of segments by the one it wrote, so that a crash (kill -9 or
 * power loss) at any point leaves either the old segments or the new one, never both, neither or
 * a mix. The run covers [base, end): base is its first segment's base offset, end the base offset
 * of the segment after it.
 *
 * 1. The cleaned data is written to `<base>-<end>.log.cleaned` and fsynced. A crash here leaves an
 *    unfinished file beside intact old segments: on open, `.cleaned` files are deleted.
 * 2. It is renamed to `<base>-<end>.log.swap` and the directory fsynced. This is the commit point:
 *    a `.swap` file is complete and replaces every segment in [base, end).
 * 3. Every old segment of the run and its index are deleted.
 * 4. The `.swap` file is renamed to `<base>.log`, the directory fsynced, the index rebuilt.
 *
 * On open (`recoverCleanerFiles`, before the segments are read), a `.swap` file means that step 3
 * or 4 was interrupted: whatever is left of the segments in [base, end) is deleted and the rename
 * done, which finishes the swap. Segment names never fall inside another run, since new segments
 * are only ever created at the log end.
 */

const CLEANED = /^(\d{20})-(\d{20})\.log\.cleaned$/;
const SWAP = /^(\d{20})-(\d{20})\.log\.swap$/;
const SEGMENT_FILE = /^(\d{20})\.(log|index)$/;
/**
 * Replaced segments' files are unlinked at once but their descriptors closed only after this
 * delay, so that a reader still walking one (a timestamp lookup between awaits) reads the old
 * data instead of failing; Kafka's file.delete.delay.ms plays the same role.
 */
const RETIRED_CLOSE_DELAY_MS = 30_000;

const pad = (offset: bigint) => offset.toString().padStart(20, '0');

export const cleanedFileName = (base: bigint, end: bigint) => `${pad(base)}-${pad(end)}.log.cleaned`;
const swapFileName = (base: bigint, end: bigint) => `${pad(base)}-${pad(end)}.log.swap`;

/** Finishes or discards the cleaner's files left by a crash. Call before opening the segments. */
export function recoverCleanerFiles(dir: string, logger: Logger): void {
  const files = fs.readdirSync(dir);
  let changed = false;
  for (const file of files) {
    if (!CLEANED.test(file)) continue;
    fs.rmSync(path.join(dir, file), { force: true });
    logger.warn({ file }, 'removed an unfinished cleaned segment; the segments it was made from are intact');
    changed = true;
  }
  for (const file of files) {
    const swap = SWAP.exec(file);
    if (!swap) continue;
    const base = BigInt(swap[1]!);
    const end = BigInt(swap[2]!);
    for (const other of files) {
      const segment = SEGMENT_FILE.exec(other);
      if (!segment) continue;
      const offset = BigInt(segment[1]!);
      if (offset >= base && offset < end) fs.rmSync(path.join(dir, other), { force: true });
    }
    fs.renameSync(path.join(dir, file), path.join(dir, segmentFileName(base)));
    logger.warn({ file }, 'completed a segment swap interrupted by a crash');
    changed = true;
  }
  if (changed) fsyncDir(dir);
}

/**
 * Steps 2-4 for a fsynced `.cleaned` file: replaces `run` (closed segments, contiguous, the last
 * one followed by a segment based at `end`) on disk and returns the new segment, indexed.
 */
export function swapInCleaned(
  dir: string,
  run: readonly Segment[],
  end: bigint,
  indexIntervalBytes: number,
): Segment {
  const base = run[0]!.baseOffset;
  const swap = path.join(dir, swapFileName(base, end));
  fs.renameSync(path.join(dir, cleanedFileName(base, end)), swap);
  fsyncDir(dir);
  for (const segment of run) {
    fs.rmSync(segment.indexFile, { force: true });
    fs.rmSync(segment.file, { force: true });
  }
  fs.renameSync(swap, path.join(dir, segmentFileName(base)));
  fsyncDir(dir);
  const retired = [...run];
  setTimeout(() => {
    for (const segment of retired) {
      try {
        segment.close();
      } catch {
        // Already closed.
      }
    }
  }, RETIRED_CLOSE_DELAY_MS).unref();
  // The broker wrote and fsynced this file itself: index it from its headers, skipping the CRCs.
  const { segment } = Segment.open(dir, base, indexIntervalBytes, { verifyCrc: false });
  segment.saveIndex();
  return segment;
}
