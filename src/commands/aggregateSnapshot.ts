import type { CommandResult } from './commandResult.js';

/**
 * What the aggregate store holds, and so what `<domain>.aggregates` (its compacted changelog)
 * holds, in two kinds of keys:
 *
 * - `<aggregateId>`: the aggregate's snapshot — its state after the last event, its version, and
 *   the ids of its most recent commands;
 * - `cmd/<commandId>`: the result of one of those recent commands, so that a command sent again is
 *   answered with its first result and appends nothing. When a command falls out of the recent
 *   ids, its result is deleted (a tombstone in the changelog).
 *
 * JSON: snapshots are kes-internal and can always be rebuilt by replaying the events topic.
 */
export interface AggregateSnapshot<S> {
  readonly version: number;
  readonly state: S;
  /** Ids of the most recent commands, oldest first; at most `RECENT_COMMANDS`. */
  readonly recent: readonly string[];
}

/** How many recent command results an aggregate remembers for idempotency. */
export const RECENT_COMMANDS = 20;

/** The store key of a remembered command result. */
export const resultKey = (commandId: string) => `cmd/${commandId}`;

export function encodeJson(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

export function decodeJson<T>(bytes: Buffer): T {
  return JSON.parse(bytes.toString('utf8')) as T;
}

/** The snapshot with one more recent command, and the id that fell out of the window, if any. */
export function remember<S>(
  snapshot: AggregateSnapshot<S>,
  commandId: string,
): { snapshot: AggregateSnapshot<S>; forgotten: string | undefined } {
  const recent = [...snapshot.recent, commandId];
  const forgotten = recent.length > RECENT_COMMANDS ? recent.shift() : undefined;
  return { snapshot: { ...snapshot, recent }, forgotten };
}

export type RememberedResult = CommandResult;
