import type { TopicConfig } from './topicConfig.js';

/**
 * Which part of a compacted log the cleaner may rewrite, and whether it should now (Kafka's
 * LogCleanerManager: cleanableOffsets and the dirty ratio). Pure: it sees segment summaries only.
 *
 * The cleanable range is [log start, first uncleanable offset): whole closed segments that lie
 * below the last stable offset and the high watermark and whose newest record is older than
 * min.compaction.lag.ms. The active segment is never cleanable. Offsets below the first dirty
 * offset (the persisted cleaner checkpoint) were cleaned before: dirty ratio = dirty bytes /
 * cleanable bytes, compared with min.cleanable.dirty.ratio. A dirty record older than
 * max.compaction.lag.ms makes the clean due whatever the ratio.
 */

export interface SegmentSummary {
  readonly baseOffset: bigint;
  readonly size: number;
  /** Largest batch timestamp, -1 when empty. */
  readonly maxTimestamp: number;
  /** Max timestamp of the first batch, -1 when empty. */
  readonly firstBatchTimestamp: number;
}

export interface CleaningInputs {
  /** Every segment, oldest first; the last one is the active segment. */
  readonly segments: readonly SegmentSummary[];
  readonly logStartOffset: bigint;
  readonly lastStableOffset: bigint;
  readonly highWatermark: bigint;
  /** The first dirty offset saved by the last pass; undefined before the first one. */
  readonly checkpoint: bigint | undefined;
  readonly now: number;
  readonly config: Pick<TopicConfig, 'minCompactionLagMs' | 'maxCompactionLagMs' | 'minCleanableDirtyRatio'>;
  /** Clean whatever the ratio (the test hook). */
  readonly force?: boolean;
}

export type CleaningReason = 'forced' | 'dirty-ratio' | 'max-compaction-lag';

export interface CleaningPlan {
  /** How many of the oldest segments are cleanable. */
  readonly cleanableCount: number;
  /** The first offset not cleanable: the base offset of the first segment that is not. */
  readonly cleanableEnd: bigint;
  readonly firstDirtyOffset: bigint;
  /** Index of the first cleanable segment holding dirty offsets (cleanableCount if none). */
  readonly firstDirtyIndex: number;
  readonly dirtyBytes: number;
  readonly cleanBytes: number;
  readonly dirtyRatio: number;
  /** Why the clean is due; undefined when it is not. */
  readonly reason: CleaningReason | undefined;
}

/** The plan for one log, or undefined when no segment is cleanable. */
export function planCleaning(input: CleaningInputs): CleaningPlan | undefined {
  const { segments, config, now } = input;
  const stable = input.lastStableOffset < input.highWatermark ? input.lastStableOffset : input.highWatermark;
  const lagCutoff = now - config.minCompactionLagMs;
  let cleanableCount = 0;
  while (cleanableCount < segments.length - 1) {
    const segment = segments[cleanableCount]!;
    const end = segments[cleanableCount + 1]!.baseOffset;
    if (end > stable) break;
    if (config.minCompactionLagMs > 0 && segment.maxTimestamp > lagCutoff) break;
    cleanableCount++;
  }
  if (cleanableCount === 0) return undefined;
  const cleanableEnd = segments[cleanableCount]!.baseOffset;

  let firstDirtyOffset = input.checkpoint ?? input.logStartOffset;
  if (firstDirtyOffset < input.logStartOffset) firstDirtyOffset = input.logStartOffset;
  let firstDirtyIndex = cleanableCount;
  let dirtyBytes = 0;
  let cleanBytes = 0;
  let overdue = false;
  for (let i = 0; i < cleanableCount; i++) {
    const segment = segments[i]!;
    if (segments[i + 1]!.baseOffset <= firstDirtyOffset) {
      cleanBytes += segment.size;
      continue;
    }
    if (firstDirtyIndex === cleanableCount) firstDirtyIndex = i;
    dirtyBytes += segment.size;
    const first = segment.firstBatchTimestamp;
    if (first >= 0 && now - first > config.maxCompactionLagMs) overdue = true;
  }
  const total = dirtyBytes + cleanBytes;
  const dirtyRatio = total === 0 ? 0 : dirtyBytes / total;
  let reason: CleaningReason | undefined;
  if (input.force) reason = 'forced';
  else if (dirtyBytes > 0 && overdue) reason = 'max-compaction-lag';
  else if (dirtyBytes > 0 && dirtyRatio >= config.minCleanableDirtyRatio) reason = 'dirty-ratio';
  return {
    cleanableCount,
    cleanableEnd,
    firstDirtyOffset,
    firstDirtyIndex,
    dirtyBytes,
    cleanBytes,
    dirtyRatio,
    reason,
  };
}
