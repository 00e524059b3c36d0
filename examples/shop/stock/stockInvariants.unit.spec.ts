import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../../src/index.js';
import { SeededRandom } from '../../../src/testing/index.js';
import type { StockCommand } from './stockCommands.js';
import { stockDecider } from './stockDecider.js';
import type { StockEvent } from './stockEvents.js';
import type { StockState } from './stockState.js';

const context: CommandContext = { now: 0 };
const PRODUCTS = ['P-1', 'P-2', 'P-3'];
const ORDERS = ['O-1', 'O-2', 'O-3', 'O-4'];

/** A random command, mostly well formed, sometimes not (bad quantities, unknown products). */
function randomCommand(random: SeededRandom): StockCommand {
  const productId = random.pick(PRODUCTS);
  const quantity = random.next() < 0.05 ? random.int(-2, 0) : random.int(1, 12);
  const orderId = random.pick(ORDERS);
  const lineNumber = random.int(0, 2);
  switch (random.int(0, 5)) {
    case 0:
      return { type: 'AddProduct', data: { productId, name: productId, initialStock: random.int(-1, 20) } };
    case 1:
      return { type: 'IncreaseStock', data: { productId, quantity } };
    case 2:
      return { type: 'DecreaseStock', data: { productId, quantity } };
    case 3:
    case 4:
      return { type: 'ReserveStock', data: { productId, quantity, orderId, lineNumber } };
    default:
      return { type: 'ReleaseStock', data: { productId, quantity, orderId, lineNumber } };
  }
}

/** Units that entered (opening stock, increases) minus units that left (decreases), from the events. */
function physicalStock(events: readonly StockEvent[]): number {
  let units = 0;
  for (const event of events) {
    if (event.type === 'ProductAdded') units += event.data.initialStock;
    if (event.type === 'StockIncreased') units += event.data.quantity;
    if (event.type === 'StockDecreased') units -= event.data.quantity;
  }
  return units;
}

function checkInvariants(state: StockState, events: readonly StockEvent[], seed: number, step: number): void {
  const where = `seed ${seed}, step ${step}`;
  if (state.status === 'UNKNOWN') {
    // the only answer an unknown product gives: a refused reservation
    expect(new Set(events.map((event) => event.type)), where).toStrictEqual(
      new Set(events.length ? ['StockReservationRejected'] : []),
    );
    return;
  }
  expect(state.available, where).toBeGreaterThanOrEqual(0);
  expect(state.reserved, where).toBeGreaterThanOrEqual(0);
  expect(state.available + state.reserved, where).toBe(physicalStock(events));
  const open = Object.values(state.reservations).reduce((sum, r) => sum + r.quantity, 0);
  expect(state.reserved, where).toBe(open);
  const last = events.at(-1);
  if (last && 'available' in last.data) expect(last.data.available, where).toBe(state.available);
}

describe('stock invariants over random command sequences', () => {
  it('never make available or reserved negative, and keep available + reserved = added - decreased', () => {
    let accepted = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const random = new SeededRandom(seed);
      const states = new Map<string, StockState>();
      const history = new Map<string, StockEvent[]>();
      for (let step = 0; step < 150; step++) {
        const command = randomCommand(random);
        const id = stockDecider.aggregateIdOf(command);
        const state = states.get(id) ?? stockDecider.initialState();
        const decision = stockDecider.decide(command, state, context);
        if (decision.kind === 'rejected') continue;
        accepted += decision.events.length;
        const events = [...(history.get(id) ?? []), ...decision.events];
        const next = decision.events.reduce(stockDecider.evolve, state);
        history.set(id, events);
        states.set(id, next);
        checkInvariants(next, events, seed, step);
      }
    }
    expect(accepted).toBeGreaterThan(10_000); // the sequences do exercise the decider
  });

  it('every ReserveStock of an identified line gets an answer unless the line is already reserved', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const random = new SeededRandom(seed);
      let state = stockDecider.initialState();
      for (let step = 0; step < 100; step++) {
        const command = randomCommand(random);
        if (command.data.productId !== 'P-1') continue;
        const decision = stockDecider.decide(command, state, context);
        if (command.type === 'ReserveStock') {
          const held =
            state.status === 'ACTIVE' &&
            Object.hasOwn(state.reservations, `${command.data.orderId}#${command.data.lineNumber}`);
          expect(decision.kind, `seed ${seed}, step ${step}`).toBe('accepted');
          expect(decision.kind === 'accepted' && decision.events.length).toBe(held ? 0 : 1);
        }
        if (decision.kind === 'accepted') state = decision.events.reduce(stockDecider.evolve, state);
      }
    }
  });
});
