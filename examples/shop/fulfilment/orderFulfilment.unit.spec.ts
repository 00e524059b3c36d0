import { describe, expect, it } from 'vitest';
import type { OrderItem } from '../orders/orderCommands.js';
import type { RoutedCommand } from '../../routedCommand.js';
import type { ReservationRejectionReason } from '../stock/stockEvents.js';
import { sagaSpecification } from '../../../src/testing/index.js';
import type { FulfilmentEvent } from './fulfilmentEvent.js';
import { orderFulfilment } from './orderFulfilment.js';

const { given } = sagaSpecification(orderFulfilment);

const orderId = 'O-1';
const items: OrderItem[] = [
  { productId: 'P-1', quantity: 2, unitPrice: 1250 },
  { productId: 'P-2', quantity: 1, unitPrice: 399 },
  { productId: 'P-3', quantity: 5, unitPrice: 100 },
];
const at = Date.UTC(2025, 2, 1);

const placed: FulfilmentEvent = {
  type: 'OrderPlaced',
  data: {
    orderId,
    customerId: 'C-1',
    customerName: 'Ada',
    items,
    placedAt: at,
    currency: 'EUR',
    total: 3399,
  },
};
const confirmed: FulfilmentEvent = {
  type: 'OrderConfirmed',
  data: { orderId, confirmedAt: at, total: 3399, currency: 'EUR' },
};
const orderRejected: FulfilmentEvent = {
  type: 'OrderRejected',
  data: { orderId, reason: 'no stock', rejectedAt: at },
};
const cancelled: FulfilmentEvent = {
  type: 'OrderCancelled',
  data: { orderId, reason: 'changed my mind', cancelledAt: at },
};
const shipped: FulfilmentEvent = {
  type: 'OrderShipped',
  data: { orderId, carrier: 'PostNL', trackingCode: '3S', shippedAt: at },
};

const item = (lineNumber: number): OrderItem => items[lineNumber]!;
const reserved = (lineNumber: number): FulfilmentEvent => ({
  type: 'StockReserved',
  data: {
    productId: item(lineNumber).productId,
    quantity: item(lineNumber).quantity,
    orderId,
    lineNumber,
    available: 7,
  },
});
const refused = (
  lineNumber: number,
  reason: ReservationRejectionReason = 'INSUFFICIENT_STOCK',
): FulfilmentEvent => ({
  type: 'StockReservationRejected',
  data: {
    productId: item(lineNumber).productId,
    requested: item(lineNumber).quantity,
    orderId,
    lineNumber,
    available: reason === 'UNKNOWN_PRODUCT' ? 0 : 1,
    reason,
  },
});
const stockReleased = (lineNumber: number): FulfilmentEvent => ({
  type: 'StockReleased',
  data: {
    productId: item(lineNumber).productId,
    quantity: item(lineNumber).quantity,
    orderId,
    lineNumber,
    available: 9,
  },
});

const reserveStock = (lineNumber: number): RoutedCommand => ({
  domain: 'stock',
  aggregateId: item(lineNumber).productId,
  commandId: `O-1/reserve/${lineNumber}`,
  command: {
    type: 'ReserveStock',
    data: { productId: item(lineNumber).productId, quantity: item(lineNumber).quantity, orderId, lineNumber },
  },
});
const releaseStock = (lineNumber: number): RoutedCommand => ({
  domain: 'stock',
  aggregateId: item(lineNumber).productId,
  commandId: `O-1/release/${lineNumber}`,
  command: {
    type: 'ReleaseStock',
    data: { productId: item(lineNumber).productId, quantity: item(lineNumber).quantity, orderId, lineNumber },
  },
});
const confirmOrder: RoutedCommand = {
  domain: 'orders',
  aggregateId: orderId,
  commandId: 'O-1/confirm',
  command: { type: 'ConfirmOrder', data: { orderId } },
};
const rejectOrder = (reason: string | RegExp) =>
  expect.objectContaining({
    domain: 'orders',
    aggregateId: orderId,
    commandId: 'O-1/reject',
    command: {
      type: 'RejectOrder',
      data: { orderId, reason: typeof reason === 'string' ? reason : expect.stringMatching(reason) },
    },
  }) as RoutedCommand;

describe('order fulfilment saga', () => {
  it('keys its instances by order id', () => {
    expect(orderFulfilment.keyOf(placed)).toBe(orderId);
    expect(orderFulfilment.keyOf(reserved(1))).toBe(orderId);
  });

  describe('placing', () => {
    it('reserves every line of a placed order, at the product of the line', () => {
      const state = given([])
        .when(placed)
        .then([reserveStock(0), reserveStock(1), reserveStock(2)]);
      expect(state).toStrictEqual({
        orderId,
        phase: 'RESERVING',
        lines: items.map(({ productId, quantity }) => ({ productId, quantity, reservation: 'PENDING' })),
      });
    });

    it('confirms at once an order without lines, which has nothing to wait for', () => {
      given([])
        .when({ ...placed, data: { ...placed.data, items: [], total: 0 } } as FulfilmentEvent)
        .then([confirmOrder]);
    });

    it('sends nothing for a duplicate OrderPlaced', () => {
      given([placed]).when(placed).thenNothing();
      given([placed, reserved(0)])
        .when(placed)
        .thenNothing();
    });
  });

  describe('full reservation', () => {
    it('waits while lines are pending', () => {
      given([placed]).when(reserved(0)).thenNothing();
      given([placed, reserved(0)])
        .when(reserved(2))
        .thenNothing();
    });

    it('confirms the order once every line is reserved, in whatever order they arrive', () => {
      const state = given([placed, reserved(2), reserved(0)])
        .when(reserved(1))
        .then([confirmOrder]);
      expect(state.phase).toBe('CONFIRMING');
      expect(state.lines.map((line) => line.reservation)).toStrictEqual(['RESERVED', 'RESERVED', 'RESERVED']);
    });

    it('takes OrderConfirmed in, and then a shipment', () => {
      expect(
        given([placed, reserved(0), reserved(1), reserved(2)])
          .when(confirmed)
          .thenNothing().phase,
      ).toBe('CONFIRMED');
      expect(
        given([placed, reserved(0), reserved(1), reserved(2), confirmed])
          .when(shipped)
          .thenNothing().phase,
      ).toBe('SHIPPED');
    });

    it('does not confirm twice: a duplicate StockReserved or OrderConfirmed sends nothing', () => {
      given([placed, reserved(0), reserved(1), reserved(2)])
        .when(reserved(1))
        .thenNothing();
      given([placed, reserved(0), reserved(1), reserved(2), confirmed])
        .when(reserved(2))
        .thenNothing();
      given([placed, reserved(0), reserved(1), reserved(2), confirmed])
        .when(confirmed)
        .thenNothing();
    });
  });

  describe('refusal', () => {
    it('rejects the order naming the product and the reason, and releases the lines already reserved', () => {
      const state = given([placed, reserved(0)])
        .when(refused(1))
        .then([rejectOrder(/P-2.*INSUFFICIENT_STOCK/), releaseStock(0)]);
      expect(state.phase).toBe('REJECTING');
      expect(state.lines.map((line) => line.reservation)).toStrictEqual(['RELEASING', 'REFUSED', 'PENDING']);
    });

    it('words the reason for the customer', () => {
      given([placed])
        .when(refused(2))
        .then([
          rejectOrder(
            'could not reserve 5 units of product P-3 for line 2: INSUFFICIENT_STOCK (1 available)',
          ),
        ]);
      given([placed])
        .when(refused(0, 'UNKNOWN_PRODUCT'))
        .then([rejectOrder(/product P-1 .*UNKNOWN_PRODUCT/)]);
    });

    it('releases a reservation that arrives after the refusal', () => {
      const state = given([placed, reserved(0), refused(1)])
        .when(reserved(2))
        .then([releaseStock(2)]);
      expect(state.lines.map((line) => line.reservation)).toStrictEqual([
        'RELEASING',
        'REFUSED',
        'RELEASING',
      ]);
    });

    it('releases a reservation that arrives after OrderRejected', () => {
      given([placed, refused(1), orderRejected])
        .when(reserved(0))
        .then([releaseStock(0)]);
    });

    it('rejects once: a second refusal only records the line', () => {
      const state = given([placed, refused(1)])
        .when(refused(0))
        .thenNothing();
      expect(state.lines.map((line) => line.reservation)).toStrictEqual(['REFUSED', 'REFUSED', 'PENDING']);
    });

    it('sends nothing for duplicates of the refusal, of the late reservation or of OrderRejected', () => {
      given([placed, reserved(0), refused(1)])
        .when(refused(1))
        .thenNothing();
      given([placed, reserved(0), refused(1), reserved(2)])
        .when(reserved(2))
        .thenNothing();
      given([placed, reserved(0), refused(1), orderRejected])
        .when(reserved(0))
        .thenNothing();
      given([placed, reserved(0), refused(1), orderRejected])
        .when(orderRejected)
        .thenNothing();
    });

    it('records the releases, and sends nothing for them or for a reservation after one', () => {
      const state = given([placed, reserved(0), refused(1)])
        .when(stockReleased(0))
        .thenNothing();
      expect(state.lines[0]?.reservation).toBe('RELEASED');
      given([placed, reserved(0), refused(1), stockReleased(0)])
        .when(reserved(0))
        .thenNothing();
      given([placed, reserved(0), refused(1), stockReleased(0)])
        .when(stockReleased(0))
        .thenNothing();
    });

    it('releases what is reserved when the order is rejected without the saga asking', () => {
      given([placed, reserved(0), reserved(2)])
        .when(orderRejected)
        .then([releaseStock(0), releaseStock(2)]);
    });
  });

  describe('cancellation', () => {
    const allReserved = [placed, reserved(0), reserved(1), reserved(2)];

    it('releases every reserved line of a confirmed order', () => {
      const state = given([...allReserved, confirmed])
        .when(cancelled)
        .then([releaseStock(0), releaseStock(1), releaseStock(2)]);
      expect(state.phase).toBe('CANCELLED');
    });

    it('releases what is reserved when the order is cancelled before it is confirmed, and the rest as it arrives', () => {
      given([placed, reserved(1)])
        .when(cancelled)
        .then([releaseStock(1)]);
      given([placed, reserved(1), cancelled])
        .when(reserved(0))
        .then([releaseStock(0)]);
      given([placed, reserved(1), cancelled])
        .when(refused(2))
        .thenNothing();
    });

    it('does not confirm an order cancelled while its lines were being reserved', () => {
      given([placed, reserved(0), reserved(1), cancelled])
        .when(reserved(2))
        .then([releaseStock(2)]);
    });

    it('releases once: a duplicate OrderCancelled sends nothing', () => {
      given([...allReserved, confirmed, cancelled])
        .when(cancelled)
        .thenNothing();
    });

    it('releases nothing more for lines already released', () => {
      given([placed, reserved(0), refused(1), stockReleased(0)])
        .when(cancelled)
        .thenNothing();
    });
  });

  describe('events of an order it never heard of', () => {
    it('sends nothing and stays at its initial state', () => {
      for (const event of [
        reserved(0),
        refused(0),
        stockReleased(0),
        confirmed,
        orderRejected,
        cancelled,
        shipped,
      ]) {
        expect(given([]).when(event).thenNothing()).toStrictEqual(orderFulfilment.initialState());
      }
    });

    it('ignores outcomes of lines the order does not have', () => {
      const other = {
        type: 'StockReserved',
        data: { productId: 'P-9', quantity: 1, orderId, lineNumber: 0, available: 0 },
      } as const;
      given([placed]).when(other).thenNothing();
      given([placed])
        .when({ ...reserved(0), data: { ...reserved(0).data, lineNumber: 7 } } as FulfilmentEvent)
        .thenNothing();
    });
  });

  describe('command ids', () => {
    it('are derived from the order, so reprocessing the same events sends the same ids', () => {
      const run = () => {
        let state = orderFulfilment.initialState();
        const ids: string[] = [];
        for (const event of [placed, reserved(0), refused(1), reserved(2), orderRejected]) {
          const reaction = orderFulfilment.react(state, event, { now: Math.random() });
          ids.push(...reaction.commands.map((command) => command.commandId));
          state = reaction.state;
        }
        return ids;
      };
      expect(run()).toStrictEqual(run());
      expect(run()).toStrictEqual([
        'O-1/reserve/0',
        'O-1/reserve/1',
        'O-1/reserve/2',
        'O-1/reject',
        'O-1/release/0',
        'O-1/release/2',
      ]);
    });

    it('are unique within an order', () => {
      let state = orderFulfilment.initialState();
      const ids: string[] = [];
      for (const event of [placed, reserved(0), reserved(1), reserved(2), confirmed, cancelled]) {
        const reaction = orderFulfilment.react(state, event, { now: at });
        ids.push(...reaction.commands.map((command) => command.commandId));
        state = reaction.state;
      }
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toContain('O-1/confirm');
    });
  });
});
