import { describe, expect, it } from 'vitest';
import { accept, type Decider, reject } from '../domain/decider.js';
import { deciderSpecification, SPEC_NOW } from './deciderSpecification.js';

type CounterCommand = { type: 'Add'; data: { by: number } };
type CounterEvent = { type: 'Added'; data: { by: number; at: number } };
interface CounterState {
  total: number;
  history: number[];
}

/** A tiny decider to test the kit with; `variant` breaks it in the ways the kit must catch. */
function counter(variant: 'sound' | 'mutating' | 'impure' | 'not-json' = 'sound') {
  let calls = 0;
  const decider: Decider<CounterCommand, CounterEvent, CounterState> = {
    domain: 'stock',
    commandTypes: ['Add'],
    eventTypes: ['Added'],
    initialState: () => ({ total: 0, history: [] }),
    decide(command, state, { now }) {
      if (command.data.by === 0) return accept();
      if (command.data.by < 0) return reject('NEGATIVE', `cannot add ${command.data.by}`);
      if (variant === 'impure') calls++;
      return accept({ type: 'Added', data: { by: command.data.by + (calls > 1 ? 1 : 0), at: now } });
    },
    evolve(state, event) {
      if (variant === 'mutating') {
        state.history.push(event.data.by);
        return state;
      }
      const next = { total: state.total + event.data.by, history: [...state.history, event.data.by] };
      return variant === 'not-json' ? { ...next, since: new Date(0) } : next;
    },
    aggregateIdOf: () => 'counter',
  };
  return decider;
}

const added = (by: number, at = SPEC_NOW): CounterEvent => ({ type: 'Added', data: { by, at } });
const add = (by: number): CounterCommand => ({ type: 'Add', data: { by } });

describe('deciderSpecification', () => {
  const spec = deciderSpecification(counter(), { rejections: { NEGATIVE: 'a negative amount' } });

  it('passes for the right events and returns the state after them', () => {
    expect(
      spec
        .given([added(2)])
        .when(add(3))
        .then([added(3)]),
    ).toStrictEqual({ total: 5, history: [2, 3] });
  });

  it('decides at SPEC_NOW, or at the `now` given', () => {
    spec
      .given()
      .when(add(1), { now: 42 })
      .then([added(1, 42)]);
    expect(() =>
      spec
        .given()
        .when(add(1), { now: 42 })
        .then([added(1)]),
    ).toThrow();
  });

  it('fails for other events, or for a rejection', () => {
    expect(() =>
      spec
        .given()
        .when(add(3))
        .then([added(4)]),
    ).toThrow();
    expect(() =>
      spec
        .given()
        .when(add(-1))
        .then([added(-1)]),
    ).toThrow();
  });

  it('checks rejections by code, message and catalog', () => {
    spec.given().when(add(-1)).thenRejects('NEGATIVE', /-1/);
    expect(() => spec.given().when(add(-1)).thenRejects('OTHER')).toThrow();
    expect(() =>
      spec
        .given()
        .when(add(-1))
        .thenRejects('NEGATIVE', /nothing like it/),
    ).toThrow();
    expect(() => spec.given().when(add(1)).thenRejects('NEGATIVE')).toThrow();
    const uncatalogued = deciderSpecification(counter(), { rejections: {} });
    expect(() => uncatalogued.given().when(add(-1)).thenRejects('NEGATIVE')).toThrow(/catalog/);
    expect([...spec.rejectionsSeen]).toContain('NEGATIVE');
  });

  it('tells an accepted repeat (no events) from events', () => {
    expect(
      spec
        .given([added(2)])
        .when(add(0))
        .thenNothing(),
    ).toStrictEqual({ total: 2, history: [2] });
    expect(() => spec.given().when(add(1)).thenNothing()).toThrow();
  });

  it('catches an evolve that mutates its state', () => {
    expect(() =>
      deciderSpecification(counter('mutating'))
        .given([added(1)])
        .when(add(1)),
    ).toThrow();
  });

  it('catches a decide that answers differently the second time', () => {
    expect(() => deciderSpecification(counter('impure')).given().when(add(1))).toThrow(/deterministic/);
  });

  it('catches a state that is not plain JSON', () => {
    expect(() =>
      deciderSpecification(counter('not-json'))
        .given([added(1)])
        .when(add(1)),
    ).toThrow(/plain JSON/);
  });
});
