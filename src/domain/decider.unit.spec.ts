import { describe, expect, it } from 'vitest';
import { accept, reject, replay } from './decider.js';
import { orderDecider } from '../../examples/shop/orders/orderDecider.js';
import type { OrderEvent } from '../../examples/shop/orders/orderEvents.js';
import { stockDecider } from '../../examples/shop/stock/stockDecider.js';
import type { StockEvent } from '../../examples/shop/stock/stockEvents.js';

const stockEvents: StockEvent[] = [
  { type: 'ProductAdded', data: { productId: 'P-1', name: 'Kettle', initialStock: 5 } },
  {
    type: 'StockReserved',
    data: { productId: 'P-1', quantity: 2, orderId: 'O-1', lineNumber: 0, available: 3 },
  },
  { type: 'StockIncreased', data: { productId: 'P-1', quantity: 4, available: 7 } },
];

describe('replay', () => {
  it('is the initial state for no events', () => {
    expect(replay(stockDecider, [])).toStrictEqual(stockDecider.initialState());
  });

  it('folds evolve over the events from the initial state', () => {
    expect(replay(stockDecider, stockEvents)).toStrictEqual({
      status: 'ACTIVE',
      productId: 'P-1',
      name: 'Kettle',
      available: 7,
      reserved: 2,
      reservations: { 'O-1#0': { orderId: 'O-1', lineNumber: 0, quantity: 2 } },
    });
  });

  it('continues from a snapshot: replaying a prefix, then the rest, is replaying everything', () => {
    for (let split = 0; split <= stockEvents.length; split++) {
      const snapshot = JSON.parse(
        JSON.stringify(replay(stockDecider, stockEvents.slice(0, split))),
      ) as ReturnType<typeof stockDecider.initialState>;
      expect(replay(stockDecider, stockEvents.slice(split), snapshot)).toStrictEqual(
        replay(stockDecider, stockEvents),
      );
    }
  });

  it('answers temporal queries: the state as of an event', () => {
    const events: OrderEvent[] = [
      {
        type: 'OrderPlaced',
        data: {
          orderId: 'O-1',
          customerId: 'C-1',
          customerName: 'Ada',
          items: [{ productId: 'P-1', quantity: 1, unitPrice: 10 }],
          placedAt: 1,
          currency: 'EUR',
          total: 10,
        },
      },
      { type: 'OrderConfirmed', data: { orderId: 'O-1', confirmedAt: 2, total: 10, currency: 'EUR' } },
      { type: 'OrderCancelled', data: { orderId: 'O-1', reason: 'no', cancelledAt: 3 } },
    ];
    expect(events.map((_, n) => replay(orderDecider, events.slice(0, n + 1)).status)).toStrictEqual([
      'PLACED',
      'CONFIRMED',
      'CANCELLED',
    ]);
  });

  it('takes any iterable', () => {
    function* generate() {
      yield* stockEvents;
    }
    expect(replay(stockDecider, generate())).toStrictEqual(replay(stockDecider, stockEvents));
  });
});

describe('decisions', () => {
  it('accept with events, or none', () => {
    expect(accept(1, 2)).toStrictEqual({ kind: 'accepted', events: [1, 2] });
    expect(accept()).toStrictEqual({ kind: 'accepted', events: [] });
  });

  it('reject with a code and a message', () => {
    expect(reject('SOME_CODE', 'why')).toStrictEqual({ kind: 'rejected', code: 'SOME_CODE', message: 'why' });
  });
});
