import { expect } from 'vitest';
import { type CommandContext, type Decider, type Decision, replay } from '../domain/decider.js';
import type { RejectionCatalog } from '../domain/rejectionCatalog.js';
import { deepFreeze } from './deepFreeze.js';
import { findNonJson } from './plainJson.js';

/** The time commands are decided at unless a test says otherwise: 2025-01-15T09:30:00Z. */
export const SPEC_NOW = Date.UTC(2025, 0, 15, 9, 30);

export interface WhenOptions {
  /** The context's `now`, epoch ms (SPEC_NOW by default). */
  readonly now?: number;
}

export interface ThenStep<E, S> {
  /** The command is accepted with exactly these events; returns the state after them. */
  then(events: readonly E[]): S;
  /** The command is rejected with this code (and a message matching `message`, if given). */
  thenRejects(code: string, message?: string | RegExp): void;
  /** The command is accepted with no events (an idempotent repeat); returns the unchanged state. */
  thenNothing(): S;
}

export interface WhenStep<C, E, S> {
  when(command: C, options?: WhenOptions): ThenStep<E, S>;
}

export interface DeciderSpecification<C, E, S> {
  /** The aggregate's history so far; none for a new aggregate. */
  given(events?: readonly E[]): WhenStep<C, E, S>;
  /** The rejection codes `thenRejects` has seen, to check that the specs cover a whole catalog. */
  readonly rejectionsSeen: ReadonlySet<string>;
}

export interface DeciderSpecificationOptions {
  /** The domain's catalog: `thenRejects` fails for a code missing from it. */
  readonly rejections?: RejectionCatalog;
}

/**
 * Given/when/then tests of a decider, without any runtime: the given events are folded with
 * `evolve`, the command is decided, and the outcome compared. Every step also checks what the
 * runtime relies on: decide and evolve do not mutate their inputs (everything handed to them is
 * frozen), decide gives the same answer twice, and every state is plain JSON.
 */
export function deciderSpecification<C extends { type: string }, E extends { type: string }, S>(
  decider: Decider<C, E, S>,
  options: DeciderSpecificationOptions = {},
): DeciderSpecification<C, E, S> {
  const rejectionsSeen = new Set<string>();

  const given = (events: readonly E[] = []): WhenStep<C, E, S> => ({
    when(command: C, whenOptions: WhenOptions = {}): ThenStep<E, S> {
      const context: CommandContext = deepFreeze({ now: whenOptions.now ?? SPEC_NOW });
      const state = stateAfter(decider, events);
      deepFreeze(command);
      const decision = decider.decide(command, state, context);
      expect(decider.decide(command, state, context), 'decide is deterministic').toStrictEqual(decision);

      const accepted = (expected: readonly E[]): S => {
        expect(decision).toStrictEqual({ kind: 'accepted', events: expected });
        const events = decision.kind === 'accepted' ? decision.events : [];
        for (const event of events)
          expect(event.type, 'an event type of the domain').toBeOneOf([...decider.eventTypes]);
        return stateAfter(decider, events, state);
      };

      return {
        then: (expected) => accepted(expected),
        thenNothing: () => accepted([]),
        thenRejects(code, message) {
          expect(rejection(decision), 'the decision').toStrictEqual({ kind: 'rejected', code });
          rejectionsSeen.add(code);
          if (options.rejections) expect(Object.keys(options.rejections), 'the catalog').toContain(code);
          if (decision.kind !== 'rejected') return;
          expect(decision.message.length, 'the rejection message').toBeGreaterThan(0);
          if (message !== undefined) expect(decision.message).toMatch(message);
        },
      };
    },
  });

  return { given, rejectionsSeen };
}

/** A decision without its message, so a failing rejection check shows the code that came instead. */
function rejection<E>(decision: Decision<E>): unknown {
  return decision.kind === 'rejected' ? { kind: decision.kind, code: decision.code } : decision;
}

/** Folds events into a state, checking that evolve leaves its inputs alone and keeps the state plain JSON. */
function stateAfter<C extends { type: string }, E extends { type: string }, S>(
  decider: Decider<C, E, S>,
  events: readonly E[],
  from: S = decider.initialState(),
): S {
  let state = deepFreeze(from);
  for (const event of events) {
    state = deepFreeze(replay(decider, [deepFreeze(event)], state));
    const problem = findNonJson(state);
    expect(problem, `state after ${event.type} is plain JSON`).toBeUndefined();
    expect(JSON.parse(JSON.stringify(state)), 'state survives a JSON round trip').toStrictEqual(state);
  }
  return state;
}
