import { describe, expect, it } from 'vitest';
import { deciderSpecification } from '../../../src/testing/index.js';
import type { StockCommand } from './stockCommands.js';
import { MAX_UNITS } from './stockCounts.js';
import { stockDecider } from './stockDecider.js';
import type { StockEvent } from './stockEvents.js';
import { STOCK_REJECTIONS } from './stockRejections.js';

const spec = deciderSpecification(stockDecider, { rejections: STOCK_REJECTIONS });
const { given } = spec;

const productId = 'P-1';
const added = (initialStock: number): StockEvent => ({
  type: 'ProductAdded',
  data: { productId, name: 'Kettle', initialStock },
});
const line = (orderId: string, lineNumber: number, quantity: number) => ({
  productId,
  quantity,
  orderId,
  lineNumber,
});
const reserve = (orderId: string, lineNumber: number, quantity: number): StockCommand => ({
  type: 'ReserveStock',
  data: line(orderId, lineNumber, quantity),
});
const release = (orderId: string, lineNumber: number, quantity: number): StockCommand => ({
  type: 'ReleaseStock',
  data: line(orderId, lineNumber, quantity),
});
const reserved = (orderId: string, lineNumber: number, quantity: number, available: number): StockEvent => ({
  type: 'StockReserved',
  data: { ...line(orderId, lineNumber, quantity), available },
});
const released = (orderId: string, lineNumber: number, quantity: number, available: number): StockEvent => ({
  type: 'StockReleased',
  data: { ...line(orderId, lineNumber, quantity), available },
});

describe('stock decider', () => {
  it('addresses the product', () => {
    expect(stockDecider.aggregateIdOf(reserve('O-1', 0, 1))).toBe(productId);
  });

  describe('AddProduct', () => {
    it('adds a product with its opening stock', () => {
      const state = given([])
        .when({ type: 'AddProduct', data: { productId, name: 'Kettle', initialStock: 5 } })
        .then([added(5)]);
      expect(state).toStrictEqual({
        status: 'ACTIVE',
        productId,
        name: 'Kettle',
        available: 5,
        reserved: 0,
        reservations: {},
      });
    });

    it('accepts an opening stock of 0', () => {
      given([])
        .when({ type: 'AddProduct', data: { productId, name: 'Kettle', initialStock: 0 } })
        .then([added(0)]);
    });

    it('rejects a product that exists, even with the same details', () => {
      given([added(5)])
        .when({ type: 'AddProduct', data: { productId, name: 'Kettle', initialStock: 5 } })
        .thenRejects('PRODUCT_ALREADY_EXISTS', /P-1/);
    });

    it('rejects a product without an id or a name', () => {
      given([])
        .when({ type: 'AddProduct', data: { productId: '', name: 'Kettle', initialStock: 1 } })
        .thenRejects('INVALID_PRODUCT');
      given([])
        .when({ type: 'AddProduct', data: { productId, name: '  ', initialStock: 1 } })
        .thenRejects('INVALID_PRODUCT');
    });

    it('rejects a negative or fractional opening stock, or one beyond an Avro int', () => {
      for (const initialStock of [-1, 1.5, MAX_UNITS + 1]) {
        given([])
          .when({ type: 'AddProduct', data: { productId, name: 'Kettle', initialStock } })
          .thenRejects('INVALID_QUANTITY');
      }
    });
  });

  describe('IncreaseStock', () => {
    it('adds units to the available stock', () => {
      const state = given([added(5)])
        .when({ type: 'IncreaseStock', data: { productId, quantity: 3 } })
        .then([{ type: 'StockIncreased', data: { productId, quantity: 3, available: 8 } }]);
      expect(state).toMatchObject({ available: 8, reserved: 0 });
    });

    it('rejects an unknown product', () => {
      given([])
        .when({ type: 'IncreaseStock', data: { productId, quantity: 3 } })
        .thenRejects('UNKNOWN_PRODUCT', /P-1/);
    });

    it('rejects a quantity below 1 or fractional', () => {
      for (const quantity of [0, -2, 0.5]) {
        given([added(5)])
          .when({ type: 'IncreaseStock', data: { productId, quantity } })
          .thenRejects('INVALID_QUANTITY');
      }
    });

    it('rejects stock beyond the largest count an event carries, reserved units included', () => {
      given([added(MAX_UNITS - 10), reserved('O-1', 0, 10, MAX_UNITS - 20)])
        .when({ type: 'IncreaseStock', data: { productId, quantity: 11 } })
        .thenRejects('STOCK_LIMIT_EXCEEDED');
      given([added(MAX_UNITS - 10)])
        .when({ type: 'IncreaseStock', data: { productId, quantity: 10 } })
        .then([{ type: 'StockIncreased', data: { productId, quantity: 10, available: MAX_UNITS } }]);
    });
  });

  describe('DecreaseStock', () => {
    it('removes available units', () => {
      given([added(5)])
        .when({ type: 'DecreaseStock', data: { productId, quantity: 5 } })
        .then([{ type: 'StockDecreased', data: { productId, quantity: 5, available: 0 } }]);
    });

    it('rejects more units than are available', () => {
      given([added(5)])
        .when({ type: 'DecreaseStock', data: { productId, quantity: 6 } })
        .thenRejects('INSUFFICIENT_STOCK', /5 available/);
    });

    it('does not remove reserved units', () => {
      given([added(5), reserved('O-1', 0, 4, 1)])
        .when({ type: 'DecreaseStock', data: { productId, quantity: 2 } })
        .thenRejects('INSUFFICIENT_STOCK', /1 available/);
    });

    it('rejects an unknown product', () => {
      given([])
        .when({ type: 'DecreaseStock', data: { productId, quantity: 1 } })
        .thenRejects('UNKNOWN_PRODUCT');
    });

    it('rejects a quantity below 1', () => {
      given([added(5)])
        .when({ type: 'DecreaseStock', data: { productId, quantity: 0 } })
        .thenRejects('INVALID_QUANTITY');
    });
  });

  describe('ReserveStock', () => {
    it('sets units aside for an order line', () => {
      const state = given([added(5)])
        .when(reserve('O-1', 0, 3))
        .then([reserved('O-1', 0, 3, 2)]);
      expect(state).toMatchObject({
        available: 2,
        reserved: 3,
        reservations: { 'O-1#0': { orderId: 'O-1', lineNumber: 0, quantity: 3 } },
      });
    });

    it('keeps the reservations of each line apart', () => {
      const state = given([added(10), reserved('O-1', 0, 3, 7), reserved('O-2', 0, 2, 5)])
        .when(reserve('O-1', 1, 4))
        .then([reserved('O-1', 1, 4, 1)]);
      expect(state).toMatchObject({ available: 1, reserved: 9 });
      expect(Object.keys(state.status === 'ACTIVE' ? state.reservations : {})).toStrictEqual([
        'O-1#0',
        'O-2#0',
        'O-1#1',
      ]);
    });

    it('may reserve every available unit', () => {
      given([added(3)])
        .when(reserve('O-1', 0, 3))
        .then([reserved('O-1', 0, 3, 0)]);
    });

    it('answers a line already reserved with nothing, whatever quantity it asks for now', () => {
      given([added(5), reserved('O-1', 0, 3, 2)])
        .when(reserve('O-1', 0, 3))
        .thenNothing();
      given([added(5), reserved('O-1', 0, 3, 2)])
        .when(reserve('O-1', 0, 1))
        .thenNothing();
    });

    it('answers insufficient stock with an event, so the saga hears back, and keeps the stock', () => {
      const state = given([added(5), reserved('O-1', 0, 3, 2)])
        .when(reserve('O-2', 0, 3))
        .then([
          {
            type: 'StockReservationRejected',
            data: {
              productId,
              requested: 3,
              orderId: 'O-2',
              lineNumber: 0,
              available: 2,
              reason: 'INSUFFICIENT_STOCK',
            },
          },
        ]);
      expect(state).toMatchObject({ available: 2, reserved: 3 });
    });

    it('answers an unknown product with an event, not a rejection', () => {
      given([])
        .when(reserve('O-1', 2, 1))
        .then([
          {
            type: 'StockReservationRejected',
            data: {
              productId,
              requested: 1,
              orderId: 'O-1',
              lineNumber: 2,
              available: 0,
              reason: 'UNKNOWN_PRODUCT',
            },
          },
        ]);
    });

    it('answers a quantity below 1 with an event of reason OTHER', () => {
      given([added(5)])
        .when(reserve('O-1', 0, 0))
        .then([
          {
            type: 'StockReservationRejected',
            data: { productId, requested: 0, orderId: 'O-1', lineNumber: 0, available: 5, reason: 'OTHER' },
          },
        ]);
    });

    it('rejects a line that names no order or no valid line number: no saga waits for it', () => {
      given([added(5)])
        .when(reserve('', 0, 1))
        .thenRejects('INVALID_ORDER_LINE');
      given([added(5)])
        .when(reserve('O-1', -1, 1))
        .thenRejects('INVALID_ORDER_LINE');
      given([])
        .when(reserve('O-1', 0.5, 1))
        .thenRejects('INVALID_ORDER_LINE');
    });
  });

  describe('ReleaseStock', () => {
    it('gives back the units of a reserved line', () => {
      const state = given([added(5), reserved('O-1', 0, 3, 2), reserved('O-1', 1, 1, 1)])
        .when(release('O-1', 0, 3))
        .then([released('O-1', 0, 3, 4)]);
      expect(state).toMatchObject({
        available: 4,
        reserved: 1,
        reservations: { 'O-1#1': { orderId: 'O-1', lineNumber: 1, quantity: 1 } },
      });
      expect(state.status === 'ACTIVE' && Object.keys(state.reservations)).toStrictEqual(['O-1#1']);
    });

    it('gives back exactly what the line holds, whatever the command says', () => {
      given([added(5), reserved('O-1', 0, 3, 2)])
        .when(release('O-1', 0, 5))
        .then([released('O-1', 0, 3, 5)]);
    });

    it('answers a line that holds nothing with nothing', () => {
      given([added(5)])
        .when(release('O-1', 0, 3))
        .thenNothing();
    });

    it('answers a repeat with nothing', () => {
      given([added(5), reserved('O-1', 0, 3, 2), released('O-1', 0, 3, 5)])
        .when(release('O-1', 0, 3))
        .thenNothing();
    });

    it('rejects an unknown product', () => {
      given([])
        .when(release('O-1', 0, 3))
        .thenRejects('UNKNOWN_PRODUCT');
    });

    it('rejects a quantity below 1', () => {
      given([added(5), reserved('O-1', 0, 3, 2)])
        .when(release('O-1', 0, 0))
        .thenRejects('INVALID_QUANTITY');
    });

    it('rejects a line that names no order or no valid line number', () => {
      given([added(5)])
        .when(release('', 0, 1))
        .thenRejects('INVALID_ORDER_LINE');
      given([added(5)])
        .when(release('O-1', -3, 1))
        .thenRejects('INVALID_ORDER_LINE');
    });
  });

  it('has specs for every rejection code of its catalog', () => {
    expect([...spec.rejectionsSeen].sort()).toStrictEqual(Object.keys(STOCK_REJECTIONS).sort());
  });
});
