import { describe, expect, it } from 'vitest';
import { deciderSpecification, SPEC_NOW } from '../../../src/testing/index.js';
import type { OrderCommand, OrderItem } from './orderCommands.js';
import { orderDecider } from './orderDecider.js';
import type { OrderEvent } from './orderEvents.js';
import { ORDER_REJECTIONS } from './orderRejections.js';

const spec = deciderSpecification(orderDecider, { rejections: ORDER_REJECTIONS });
const { given } = spec;

const orderId = 'O-1';
const T0 = Date.UTC(2025, 2, 1, 12, 0);
const T1 = T0 + 60_000;
const items: OrderItem[] = [
  { productId: 'P-1', quantity: 2, unitPrice: 1250 },
  { productId: 'P-2', quantity: 1, unitPrice: 399 },
];
const placeOrder = (lines: readonly OrderItem[] = items): OrderCommand => ({
  type: 'PlaceOrder',
  data: { orderId, customerId: 'C-1', customerName: 'Ada Lovelace', items: lines },
});

const placed: OrderEvent = {
  type: 'OrderPlaced',
  data: {
    orderId,
    customerId: 'C-1',
    customerName: 'Ada Lovelace',
    items,
    placedAt: T0,
    currency: 'EUR',
    total: 2899,
  },
};
const confirmed: OrderEvent = {
  type: 'OrderConfirmed',
  data: { orderId, confirmedAt: T0 + 1, total: 2899, currency: 'EUR' },
};
const rejected: OrderEvent = {
  type: 'OrderRejected',
  data: { orderId, reason: 'out of stock', rejectedAt: T0 + 1 },
};
const cancelled: OrderEvent = {
  type: 'OrderCancelled',
  data: { orderId, reason: 'changed my mind', cancelledAt: T0 + 2 },
};
const shipped: OrderEvent = {
  type: 'OrderShipped',
  data: { orderId, carrier: 'PostNL', trackingCode: '3S-1', shippedAt: T0 + 3 },
};

const confirm: OrderCommand = { type: 'ConfirmOrder', data: { orderId } };
const rejectOrder: OrderCommand = { type: 'RejectOrder', data: { orderId, reason: 'out of stock' } };
const cancel: OrderCommand = { type: 'CancelOrder', data: { orderId, reason: 'changed my mind' } };
const ship = (carrier = 'PostNL', trackingCode = '3S-1'): OrderCommand => ({
  type: 'ShipOrder',
  data: { orderId, carrier, trackingCode },
});

describe('order decider', () => {
  it('addresses the order', () => {
    expect(orderDecider.aggregateIdOf(cancel)).toBe(orderId);
  });

  describe('PlaceOrder', () => {
    it('places the order at the current time, in euros, with its total', () => {
      const state = given([]).when(placeOrder(), { now: T0 }).then([placed]);
      expect(state).toStrictEqual({
        status: 'PLACED',
        orderId,
        customerId: 'C-1',
        customerName: 'Ada Lovelace',
        items,
        total: 2899,
        currency: 'EUR',
        placedAt: T0,
        confirmedAt: null,
        rejectedAt: null,
        cancelledAt: null,
        shippedAt: null,
        closingReason: null,
        carrier: null,
        trackingCode: null,
      });
    });

    it('accepts free lines (unit price 0)', () => {
      const free = [{ productId: 'P-9', quantity: 1, unitPrice: 0 }];
      given([])
        .when(placeOrder(free))
        .then([
          { ...placed, data: { ...placed.data, items: free, placedAt: SPEC_NOW, total: 0 } } as OrderEvent,
        ]);
    });

    it('rejects an order that exists, in whatever status', () => {
      for (const history of [[placed], [placed, confirmed], [placed, rejected], [placed, cancelled]]) {
        given(history).when(placeOrder()).thenRejects('ORDER_ALREADY_EXISTS', /O-1/);
      }
    });

    it('rejects an order without lines', () => {
      given([]).when(placeOrder([])).thenRejects('EMPTY_ORDER');
    });

    it('rejects a line with a quantity below 1 or fractional', () => {
      for (const quantity of [0, -1, 1.5]) {
        given([])
          .when(placeOrder([items[0]!, { productId: 'P-2', quantity, unitPrice: 100 }]))
          .thenRejects('INVALID_QUANTITY', /line 1/);
      }
    });

    it('rejects a negative or fractional unit price', () => {
      for (const unitPrice of [-1, 9.99]) {
        given([])
          .when(placeOrder([{ productId: 'P-1', quantity: 1, unitPrice }]))
          .thenRejects('INVALID_PRICE', /line 0/);
      }
    });

    it('rejects two lines of the same product', () => {
      given([])
        .when(placeOrder([...items, { productId: 'P-1', quantity: 1, unitPrice: 1250 }]))
        .thenRejects('DUPLICATE_PRODUCT', /lines 0 and 2 .*P-1/);
    });

    it('rejects an order without an id, a customer or a product id', () => {
      const data = { orderId, customerId: 'C-1', customerName: 'Ada', items };
      for (const bad of [{ orderId: '' }, { customerId: '' }, { customerName: ' ' }]) {
        given([])
          .when({ type: 'PlaceOrder', data: { ...data, ...bad } })
          .thenRejects('INVALID_ORDER');
      }
      given([])
        .when(placeOrder([{ productId: '', quantity: 1, unitPrice: 1 }]))
        .thenRejects('INVALID_ORDER', /line 0/);
    });

    it('rejects a total no number carries exactly', () => {
      given([])
        .when(placeOrder([{ productId: 'P-1', quantity: 1000, unitPrice: Number.MAX_SAFE_INTEGER }]))
        .thenRejects('TOTAL_TOO_LARGE');
      given([])
        .when(
          placeOrder([
            { productId: 'P-1', quantity: 1, unitPrice: Number.MAX_SAFE_INTEGER },
            { productId: 'P-2', quantity: 1, unitPrice: 1 },
          ]),
        )
        .thenRejects('TOTAL_TOO_LARGE');
    });
  });

  describe('ConfirmOrder', () => {
    it('confirms a placed order with its total and currency', () => {
      const state = given([placed])
        .when(confirm, { now: T1 })
        .then([{ type: 'OrderConfirmed', data: { orderId, confirmedAt: T1, total: 2899, currency: 'EUR' } }]);
      expect(state).toMatchObject({ status: 'CONFIRMED', confirmedAt: T1 });
    });

    it('answers a repeat on a confirmed order with nothing', () => {
      given([placed, confirmed]).when(confirm).thenNothing();
    });

    it('rejects an order that is rejected, cancelled or shipped', () => {
      for (const history of [
        [placed, rejected],
        [placed, cancelled],
        [placed, confirmed, shipped],
      ]) {
        given(history).when(confirm).thenRejects('INVALID_ORDER_STATE');
      }
    });

    it('rejects an unknown order', () => {
      given([]).when(confirm).thenRejects('UNKNOWN_ORDER', /O-1/);
    });
  });

  describe('RejectOrder', () => {
    it('rejects a placed order with the reason', () => {
      const state = given([placed])
        .when(rejectOrder, { now: T1 })
        .then([{ type: 'OrderRejected', data: { orderId, reason: 'out of stock', rejectedAt: T1 } }]);
      expect(state).toMatchObject({ status: 'REJECTED', rejectedAt: T1, closingReason: 'out of stock' });
    });

    it('answers a repeat on a rejected order with nothing', () => {
      given([placed, rejected]).when(rejectOrder).thenNothing();
    });

    it('refuses to reject an order that is confirmed, cancelled or shipped', () => {
      for (const history of [
        [placed, confirmed],
        [placed, cancelled],
        [placed, confirmed, shipped],
      ]) {
        given(history).when(rejectOrder).thenRejects('INVALID_ORDER_STATE');
      }
    });

    it('rejects an unknown order', () => {
      given([]).when(rejectOrder).thenRejects('UNKNOWN_ORDER');
    });
  });

  describe('CancelOrder', () => {
    it('cancels a placed order', () => {
      const state = given([placed])
        .when(cancel, { now: T1 })
        .then([{ type: 'OrderCancelled', data: { orderId, reason: 'changed my mind', cancelledAt: T1 } }]);
      expect(state).toMatchObject({ status: 'CANCELLED', cancelledAt: T1, closingReason: 'changed my mind' });
    });

    it('cancels a confirmed order', () => {
      given([placed, confirmed])
        .when(cancel, { now: T1 })
        .then([{ type: 'OrderCancelled', data: { orderId, reason: 'changed my mind', cancelledAt: T1 } }]);
    });

    it('rejects a shipped order', () => {
      given([placed, confirmed, shipped]).when(cancel).thenRejects('ORDER_ALREADY_SHIPPED');
    });

    it('rejects an order already cancelled or rejected', () => {
      given([placed, cancelled])
        .when(cancel)
        .thenRejects('ORDER_CLOSED', /CANCELLED/);
      given([placed, rejected])
        .when(cancel)
        .thenRejects('ORDER_CLOSED', /REJECTED/);
    });

    it('rejects an unknown order', () => {
      given([]).when(cancel).thenRejects('UNKNOWN_ORDER');
    });
  });

  describe('ShipOrder', () => {
    it('ships a confirmed order', () => {
      const state = given([placed, confirmed])
        .when(ship(), { now: T1 })
        .then([
          { type: 'OrderShipped', data: { orderId, carrier: 'PostNL', trackingCode: '3S-1', shippedAt: T1 } },
        ]);
      expect(state).toMatchObject({
        status: 'SHIPPED',
        shippedAt: T1,
        carrier: 'PostNL',
        trackingCode: '3S-1',
      });
    });

    it('answers a repeat with the same carrier and tracking code with nothing', () => {
      given([placed, confirmed, shipped]).when(ship()).thenNothing();
    });

    it('rejects shipping again with other details', () => {
      given([placed, confirmed, shipped])
        .when(ship('DHL', '99'))
        .thenRejects('ORDER_ALREADY_SHIPPED', /PostNL/);
    });

    it('rejects an order that is not confirmed', () => {
      for (const history of [[placed], [placed, rejected], [placed, cancelled]]) {
        given(history).when(ship()).thenRejects('INVALID_ORDER_STATE');
      }
    });

    it('rejects a shipment without a carrier or a tracking code', () => {
      given([placed, confirmed]).when(ship('', '3S-1')).thenRejects('MISSING_SHIPPING_DETAILS');
      given([placed, confirmed]).when(ship('PostNL', ' ')).thenRejects('MISSING_SHIPPING_DETAILS');
    });

    it('rejects an unknown order', () => {
      given([]).when(ship()).thenRejects('UNKNOWN_ORDER');
    });
  });

  it('has specs for every rejection code of its catalog', () => {
    expect([...spec.rejectionsSeen].sort()).toStrictEqual(Object.keys(ORDER_REJECTIONS).sort());
  });
});
