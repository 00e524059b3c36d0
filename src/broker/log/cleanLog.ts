import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildOffsetMap } from './buildOffsetMap.js';
import type { CleanerMemory } from './cleanerMemory.js';
import { CleaningPass } from './cleaningPass.js';
import { cleanSegments } from './cleanSegments.js';
import { OffsetMap } from './offsetMap.js';
import type { PartitionLog } from './partitionLog.js';
import { type CleaningPlan, planCleaning } from './planCleaning.js';
import type { Segment } from './segment.js';
import { cleanedFileName } from './segmentSwap.js';
import type { TopicConfig } from './topicConfig.js';

/**
 * One cleaning pass over one partition (LogCleaner.scala's doClean): plan the cleanable range,
 * map the latest offset of every key in its dirty part, then rewrite the whole range from the log
 * start, a group of adjacent segments at a time, swapping each cleaned group in as soon as it is
 * written. Reads and appends go on meanwhile (appends only touch the active segment); before each
 * swap the group is checked to still be in the log, and if retention or DeleteRecords removed any
 * of it the pass stops there, to be retried on the next round.
 */

export interface CleanLogOptions {
  readonly now: number;
  /** Clean whatever the dirty ratio. */
  readonly force?: boolean;
  /** Bound on the offset map, in keys; a larger dirty part is cleaned over several passes. */
  readonly maxOffsetMapEntries: number;
  /** False once the cleaner is stopping. */
  readonly running: () => boolean;
}

export interface CleanLogResult {
  readonly plan: CleaningPlan;
  /** Whether the pass got through the whole range (false: stopped early, checkpoint unchanged). */
  readonly completed: boolean;
  /** End of the range cleaned (the new checkpoint when completed). */
  readonly cleanedEnd: bigint;
  readonly segmentsBefore: number;
  readonly segmentsAfter: number;
  readonly bytesBefore: number;
  readonly bytesAfter: number;
  readonly recordsRemoved: number;
  readonly offsetMapEntries: number;
}

/** Runs a pass if one is due; undefined when it is not (or nothing is cleanable). */
export async function cleanLog(
  log: PartitionLog,
  config: TopicConfig,
  memory: CleanerMemory,
  options: CleanLogOptions,
): Promise<CleanLogResult | undefined> {
  const { now } = options;
  const segments = log.segmentList();
  const plan = planCleaning({
    segments,
    logStartOffset: log.logStartOffset,
    lastStableOffset: log.lastStableOffset,
    highWatermark: log.highWatermark,
    checkpoint: log.cleanerCheckpoint,
    now,
    config,
    force: options.force ?? false,
  });
  if (!plan?.reason) return undefined;

  const map = new OffsetMap();
  const pass = new CleaningPass({
    map,
    memory,
    abortedTransactions: log.abortedTransactions(),
    logStartOffset: log.logStartOffset,
    deleteRetentionMs: config.deleteRetentionMs,
    now,
  });
  const cleanable = segments.slice(0, plan.cleanableCount);
  const dirty = cleanable.slice(plan.firstDirtyIndex);
  const covered = await buildOffsetMap(map, {
    segments: dirty,
    from: plan.firstDirtyOffset,
    maxEntries: options.maxOffsetMapEntries,
    isAborted: (header) => pass.isAborted(header),
    proceed: () => options.running() && log.holdsSegments(cleanable),
  });
  if (covered === undefined) return undefined;
  // A full map ends the range early, at a segment boundary; the rest stays dirty.
  const range = segments.slice(0, Math.min(plan.firstDirtyIndex + covered, plan.cleanableCount));
  const cleanedEnd = segments[range.length]!.baseOffset;

  let bytesBefore = 0;
  let bytesAfter = 0;
  let recordsRemoved = 0;
  let segmentsAfter = 0;
  let completed = true;
  for (const group of groupSegments(range, segments[range.length]!, config.segmentBytes)) {
    const end = segments[segments.indexOf(group.at(-1)!) + 1]!.baseOffset;
    const proceed = () => options.running() && log.holdsSegments(group);
    const cleaned = await cleanSegments(log.dir, group, end, pass, proceed);
    if (!cleaned) {
      completed = false;
      break;
    }
    bytesBefore += cleaned.bytesBefore;
    recordsRemoved += cleaned.recordsRemoved;
    if (!cleaned.changed && group.length === 1) {
      // Nothing to remove: keep the segment as it is.
      fs.rmSync(path.join(log.dir, cleanedFileName(group[0]!.baseOffset, end)), { force: true });
      bytesAfter += cleaned.bytesBefore;
      segmentsAfter++;
      continue;
    }
    if (!proceed() || !log.replaceSegments(group, end)) {
      fs.rmSync(path.join(log.dir, cleanedFileName(group[0]!.baseOffset, end)), { force: true });
      completed = false;
      break;
    }
    bytesAfter += cleaned.bytesAfter;
    segmentsAfter++;
  }
  if (completed) {
    const checkpoint = log.cleanerCheckpoint;
    log.setCleanerCheckpoint(checkpoint !== undefined && checkpoint > cleanedEnd ? checkpoint : cleanedEnd);
    memory.completePass(cleanedEnd, now, config.deleteRetentionMs, pass.markersWithoutData);
    // Every aborted batch below cleanedEnd is gone: the index entries for it are no longer needed.
    log.forgetAbortedTransactionsBefore(cleanedEnd);
  }
  return {
    plan,
    completed,
    cleanedEnd,
    segmentsBefore: range.length,
    segmentsAfter,
    bytesBefore,
    bytesAfter,
    recordsRemoved,
    offsetMapEntries: map.size,
  };
}

/**
 * Splits `range` into runs of adjacent segments to merge into one: at most segment.bytes of input
 * (the output is never larger), and offsets within int32 of the run's base, as the segment index
 * stores them relative to it (LogCleaner.scala's groupSegmentsBySize).
 */
function groupSegments(range: readonly Segment[], next: Segment, segmentBytes: number): Segment[][] {
  const groups: Segment[][] = [];
  let group: Segment[] = [];
  let bytes = 0;
  range.forEach((segment, i) => {
    const end = (range[i + 1] ?? next).baseOffset;
    const fits =
      group.length > 0 && bytes + segment.size <= segmentBytes && end - group[0]!.baseOffset <= 0x7fffffffn;
    if (!fits && group.length > 0) {
      groups.push(group);
      group = [];
      bytes = 0;
    }
    group.push(segment);
    bytes += segment.size;
  });
  if (group.length > 0) groups.push(group);
  return groups;
}
