import type { CommandResult } from './commandResult.js';

/**
 * What the aggregate store holds per aggregate, and so what `<domain>.aggregates` (its compacted
 * changelog) holds: the state after the last event, its version, and the results of the
 * aggregate's most recent commands, so that a command sent again is answered with its first
 * result and appends nothing. JSON: snapshots are kes-internal and can always be rebuilt by
 * replaying the events topic.
 */
export interface AggregateSnapshot<S> {
  readonly version: number;
  readonly state: S;
  /** Most recent last; at most `RECENT_COMMANDS`. */
  readonly commands: readonly CommandResult[];
}

/** How many recent command results an aggregate remembers for idempotency. */
export const RECENT_COMMANDS = 20;

export function encodeSnapshot<S>(snapshot: AggregateSnapshot<S>): Buffer {
  return Buffer.from(JSON.stringify(snapshot), 'utf8');
}

export function decodeSnapshot<S>(bytes: Buffer): AggregateSnapshot<S> {
  return JSON.parse(bytes.toString('utf8')) as AggregateSnapshot<S>;
}

/** The snapshot with one more remembered result (the oldest forgotten past the limit). */
export function remember<S>(snapshot: AggregateSnapshot<S>, result: CommandResult): AggregateSnapshot<S> {
  return { ...snapshot, commands: [...snapshot.commands, result].slice(-RECENT_COMMANDS) };
}

/** The snapshot with a remembered result replaced by its final form (same command id). */
export function replaceResult<S>(
  snapshot: AggregateSnapshot<S>,
  result: CommandResult,
): AggregateSnapshot<S> {
  return {
    ...snapshot,
    commands: snapshot.commands.map((c) => (c.commandId === result.commandId ? result : c)),
  };
}
