import type { CommandContext } from './decider.js';
import type { RoutedCommand } from './routedCommand.js';

/** What a saga does with one event: its new state and the commands to send (possibly none). */
export interface Reaction<S, C extends RoutedCommand = RoutedCommand> {
  readonly state: S;
  readonly commands: readonly C[];
}

/**
 * A process manager as pure functions: one instance per key, whose state (plain JSON) is kept in
 * the saga's store; `react` folds an event into it and says which commands to send. Commands carry
 * ids derived from the state and the event only, so reacting again to the same input after a
 * crash sends the same ids, which the command handlers drop as repeats.
 */
export interface Saga<E extends { type: string }, S, C extends RoutedCommand = RoutedCommand> {
  readonly name: string;
  readonly eventTypes: readonly E['type'][];
  initialState(): S;
  /** The instance an event belongs to: its key in the saga's store. */
  keyOf(event: E): string;
  react(state: S, event: E, context: CommandContext): Reaction<S, C>;
}
