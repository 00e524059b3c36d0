import { expect } from 'vitest';
import type { CommandContext } from '../domain/decider.js';
import type { RoutedCommand } from '../domain/routedCommand.js';
import type { Saga } from '../domain/saga.js';
import { SPEC_NOW, type WhenOptions } from './deciderSpecification.js';
import { deepFreeze } from './deepFreeze.js';
import { findNonJson } from './plainJson.js';

export interface SagaThenStep<S> {
  /** Reacting to the event sends exactly these commands; returns the saga's state after it. */
  then(commands: readonly RoutedCommand[]): S;
  /** Reacting to the event sends nothing; returns the saga's state after it. */
  thenNothing(): S;
}

export interface SagaSpecification<E, S> {
  /**
   * The events the saga instance has already reacted to (whatever it sent then is not checked);
   * `when` is the next one.
   */
  given(events?: readonly E[]): { when(event: E, options?: WhenOptions): SagaThenStep<S> };
}

/**
 * Given/when/then tests of a saga: like deciderSpecification, every reaction is checked to leave
 * its inputs alone, to give the same answer twice and to keep the state plain JSON.
 */
export function sagaSpecification<E extends { type: string }, S>(saga: Saga<E, S>): SagaSpecification<E, S> {
  return {
    given: (events = []) => ({
      when(event, options = {}) {
        const context: CommandContext = deepFreeze({ now: options.now ?? SPEC_NOW });
        let state = deepFreeze(saga.initialState());
        for (const earlier of events) state = react(saga, state, earlier, context).state;
        const reaction = react(saga, state, event, context);
        const sends = (expected: readonly RoutedCommand[]) => {
          expect(reaction.commands).toStrictEqual(expected);
          return reaction.state;
        };
        return { then: sends, thenNothing: () => sends([]) };
      },
    }),
  };
}

function react<E extends { type: string }, S>(saga: Saga<E, S>, state: S, event: E, context: CommandContext) {
  deepFreeze(event);
  const reaction = saga.react(state, event, context);
  expect(saga.react(state, event, context), 'react is deterministic').toStrictEqual(reaction);
  expect(findNonJson(reaction.state), `saga state after ${event.type} is plain JSON`).toBeUndefined();
  expect(JSON.parse(JSON.stringify(reaction.state))).toStrictEqual(reaction.state);
  return { state: deepFreeze(reaction.state), commands: reaction.commands };
}
