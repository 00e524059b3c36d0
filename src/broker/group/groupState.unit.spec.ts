import { describe, expect, it } from 'vitest';
import { Group } from './group.js';
import {
  canTransition,
  GroupState,
  IllegalGroupTransitionError,
  VALID_PREVIOUS_STATES,
} from './groupState.js';

const { Empty, PreparingRebalance, CompletingRebalance, Stable, Dead } = GroupState;

describe('group state machine', () => {
  it.each([
    [Stable, PreparingRebalance],
    [CompletingRebalance, PreparingRebalance],
    [Empty, PreparingRebalance],
    [PreparingRebalance, CompletingRebalance],
    [CompletingRebalance, Stable],
    [PreparingRebalance, Empty],
    [Empty, Dead],
    [PreparingRebalance, Dead],
    [CompletingRebalance, Dead],
    [Stable, Dead],
    [Dead, Dead],
  ])('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  it('allows nothing else', () => {
    const allowed = Object.values(GroupState).flatMap((to) =>
      VALID_PREVIOUS_STATES[to].map((from) => `${from}→${to}`),
    );
    expect(allowed).toHaveLength(11);
    expect(canTransition(Empty, Stable)).toBe(false);
    expect(canTransition(Stable, CompletingRebalance)).toBe(false);
    expect(canTransition(Dead, Empty)).toBe(false);
    expect(canTransition(PreparingRebalance, PreparingRebalance)).toBe(false);
  });

  it('a group refuses an illegal transition with IllegalGroupTransitionError', () => {
    const group = new Group('g');
    expect(group.state).toBe(Empty);
    expect(() => group.transitionTo(Stable)).toThrow(IllegalGroupTransitionError);
    expect(() => group.transitionTo(Stable)).toThrow('group g cannot move from Empty to Stable');
    group.transitionTo(PreparingRebalance);
    group.transitionTo(Empty);
    group.transitionTo(Dead);
    expect(group.state).toBe(Dead);
  });

  it('an empty group moves to Empty with the next generation', () => {
    const group = new Group('g', 4);
    group.transitionTo(PreparingRebalance);
    group.initNextGeneration();
    expect(group.state).toBe(Empty);
    expect(group.generationId).toBe(5);
  });
});
