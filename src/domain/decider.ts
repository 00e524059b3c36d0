import type { DomainName } from './domainRecord.js';

/** What a decision may depend on besides the command and the state, supplied by the runtime. */
export interface CommandContext {
  /** The current time, epoch milliseconds. Deciders never read a clock themselves. */
  readonly now: number;
}

export type Decision<E> =
  /** The command is carried out; `events` may be empty (an idempotent repeat). */
  | { readonly kind: 'accepted'; readonly events: readonly E[] }
  /** A business rule refused the command; nothing is appended. `code` is from the domain's catalog. */
  | { readonly kind: 'rejected'; readonly code: string; readonly message: string };

/**
 * An aggregate as pure functions: `decide` turns a command and the current state into events or a
 * rejection, `evolve` folds an event into the state. State is plain JSON data (it is snapshotted as
 * JSON): objects, arrays, strings, numbers, booleans and null only.
 */
export interface Decider<C extends { type: string }, E extends { type: string }, S> {
  readonly domain: DomainName;
  readonly commandTypes: readonly C['type'][];
  readonly eventTypes: readonly E['type'][];
  initialState(): S;
  decide(command: C, state: S, context: CommandContext): Decision<E>;
  evolve(state: S, event: E): S;
  /** The aggregate id a command addresses (its key on <domain>.commands). */
  aggregateIdOf(command: C): string;
  /**
   * The other ids a command leads to as keys, downstream of its own aggregate: the aggregates it
   * names (a transfer's accounts, an order's products), those derived from it (an order's
   * invoice), the values of indexes (an order's customer). The sagas and policies will address
   * them, so they must be valid aggregate ids too: a command naming one that is not is refused
   * when it is sent, before anything is written — a saga could not carry it through. Default: none.
   */
  relatedIdsOf?(command: C): readonly RelatedId[];
}

/** An id a command leads to besides its aggregate's: the field it comes from, and what it is. */
export interface RelatedId {
  /** The field, as a dotted path (`items.0.productId`). */
  readonly field: string;
  readonly id: string;
  /** What the id is when it is not the field's value as it is (`its invoice's id`). */
  readonly as?: string;
}

/** An accepted decision with these events (none for an idempotent repeat). */
export function accept<E>(...events: E[]): Decision<E> {
  return { kind: 'accepted', events };
}

/** A rejected decision: the code names the rule, the message explains this case. */
export function reject<Code extends string>(code: Code, message: string): Decision<never> {
  return { kind: 'rejected', code, message };
}

/**
 * The state after `events`, folded with `evolve` from `from` (the initial state by default, or a
 * snapshot the events follow).
 */
export function replay<C extends { type: string }, E extends { type: string }, S>(
  decider: Decider<C, E, S>,
  events: Iterable<E>,
  from: S = decider.initialState(),
): S {
  let state = from;
  for (const event of events) state = decider.evolve(state, event);
  return state;
}
