import type { StoreAccess } from '../processor/processor.js';
import type { KeyValueStore } from '../state/keyValueStore.js';
import { type SourcePosition, sourceOf } from './sourcePosition.js';

/**
 * How far a view task has read its sources, kept in the task's store beside its rows (so it is
 * exactly as current as they are, restored with them, and written in the same transaction):
 * `applied` maps each source partition (`<topic>:<partition>`) to the offset of the last event
 * processed from it; `forwarded` maps each partition of the view's output topic to the source
 * offsets of the last records forwarded there — what the task downstream must have applied to
 * reflect them.
 * Keys starting with U+0000 are the view's own; rows never start with it.
 */
export interface ViewProgress {
  applied: Record<string, number>;
  forwarded: Record<string, Record<string, number>>;
}

export const PROGRESS_KEY = '\u0000progress';
/** Row keys are at or above this bound. */
export const FIRST_ROW_KEY = '\u0001';

export function emptyProgress(): ViewProgress {
  return { applied: {}, forwarded: {} };
}

export function decodeProgress(value: Buffer | undefined): ViewProgress {
  return value ? (JSON.parse(value.toString('utf8')) as ViewProgress) : emptyProgress();
}

/** Reads the progress within a transaction, records `position` as applied, and returns it. */
export async function noteApplied(store: StoreAccess, position: SourcePosition): Promise<ViewProgress> {
  const progress = decodeProgress(await store.get(PROGRESS_KEY));
  const source = sourceOf(position);
  if ((progress.applied[source] ?? -1) < position.offset) progress.applied[source] = position.offset;
  store.put(PROGRESS_KEY, Buffer.from(JSON.stringify(progress)));
  return progress;
}

/** Records that the task has forwarded the record of `position` to `partition` of its output. */
export function noteForwarded(
  store: StoreAccess,
  progress: ViewProgress,
  partition: number,
  position: SourcePosition,
): void {
  const forwarded = (progress.forwarded[String(partition)] ??= {});
  forwarded[sourceOf(position)] = position.offset;
  store.put(PROGRESS_KEY, Buffer.from(JSON.stringify(progress)));
}

/** The committed progress of a task's store. */
export async function readProgress(store: KeyValueStore): Promise<ViewProgress> {
  return decodeProgress(await store.get(PROGRESS_KEY));
}
