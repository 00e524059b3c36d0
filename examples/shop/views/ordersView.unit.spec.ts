import { describe, expect, it } from 'vitest';
import type { ViewEvent } from '../../../src/index.js';
import type { InvoiceEvent } from '../invoices/invoiceEvents.js';
import type { OrderEvent } from '../orders/orderEvents.js';
import { deepFreeze } from '../../../src/testing/index.js';
import { type OrderRow, ordersView } from './ordersView.js';

const T0 = Date.UTC(2025, 0, 15, 9, 30);
const minutes = (n: number) => T0 + n * 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const orderId = 'O-1';

/** An event of order O-1 at version `sequence`, happening `sequence` minutes after T0. */
const order = (sequence: number, event: OrderEvent): ViewEvent =>
  deepFreeze({ domain: 'orders', ...event, aggregateId: orderId, sequence, time: minutes(sequence) });

/** The InvoiceIssued of O-1's invoice (its own aggregate, at version 1) at `time`. */
const invoiced = (time: number): ViewEvent => {
  const event: InvoiceEvent = {
    type: 'InvoiceIssued',
    data: {
      invoiceId: 'INV-O-1',
      orderId,
      amount: 500,
      currency: 'EUR',
      invoiceUrl: 'https://invoices.test/INV-O-1',
      issuedAt: time,
    },
  };
  return deepFreeze({ domain: 'invoices', ...event, aggregateId: 'INV-O-1', sequence: 1, time });
};

const items = [
  { productId: 'apple', quantity: 2, unitPrice: 150 },
  { productId: 'pear', quantity: 1, unitPrice: 200 },
];
const placed = order(1, {
  type: 'OrderPlaced',
  data: {
    orderId,
    customerId: 'C-1',
    customerName: 'Ada',
    items,
    placedAt: minutes(1),
    currency: 'EUR',
    total: 500,
  },
});
const confirmed = order(2, {
  type: 'OrderConfirmed',
  data: { orderId, confirmedAt: minutes(2), total: 500, currency: 'EUR' },
});

const fold = (events: readonly ViewEvent[], row?: OrderRow) =>
  events.reduce<OrderRow | undefined>((r, e) => ordersView.evolve(r && deepFreeze(r), e), row);

describe('orders view', () => {
  it('reads the order events and the invoice events', () => {
    expect(ordersView.eventTypes).toEqual([
      'kes.orders.OrderPlaced',
      'kes.orders.OrderConfirmed',
      'kes.orders.OrderRejected',
      'kes.orders.OrderCancelled',
      'kes.orders.OrderShipped',
      'kes.invoices.InvoiceIssued',
    ]);
  });

  it('keys an order’s events by the order and its invoice’s by the invoice’s orderId', () => {
    expect(ordersView.keyOf!(placed)).toBe(orderId);
    expect(ordersView.keyOf!(invoiced(minutes(3)))).toBe(orderId);
  });

  it('OrderPlaced makes a visible row with the customer, items, total and placement time', () => {
    const row = fold([placed])!;
    expect(row).toStrictEqual({
      orderId,
      status: 'PLACED',
      customerId: 'C-1',
      customerName: 'Ada',
      items,
      total: 500,
      currency: 'EUR',
      reason: null,
      invoice: null,
      shipping: null,
      placedAt: iso(minutes(1)),
      confirmedAt: null,
      rejectedAt: null,
      cancelledAt: null,
      version: 1,
      updatedAt: iso(minutes(1)),
    });
    expect(ordersView.isVisible!(row)).toBe(true);
  });

  it('OrderConfirmed and then OrderShipped set the status, their times and the shipping', () => {
    const shipped = order(3, {
      type: 'OrderShipped',
      data: { orderId, carrier: 'DHL', trackingCode: 'TRACK-1', shippedAt: minutes(3) },
    });
    const row = fold([placed, confirmed]);
    expect(row).toMatchObject({ status: 'CONFIRMED', confirmedAt: iso(minutes(2)), version: 2 });
    expect(fold([shipped], row)).toMatchObject({
      status: 'SHIPPED',
      confirmedAt: iso(minutes(2)),
      shipping: { carrier: 'DHL', trackingCode: 'TRACK-1', shippedAt: iso(minutes(3)) },
      version: 3,
      updatedAt: iso(minutes(3)),
    });
  });

  it('OrderRejected sets the status, the reason and the rejection time', () => {
    const rejected = order(2, {
      type: 'OrderRejected',
      data: { orderId, reason: 'line 0: INSUFFICIENT_STOCK', rejectedAt: minutes(2) },
    });
    expect(fold([placed, rejected])).toMatchObject({
      status: 'REJECTED',
      reason: 'line 0: INSUFFICIENT_STOCK',
      rejectedAt: iso(minutes(2)),
      confirmedAt: null,
      version: 2,
    });
  });

  it('OrderCancelled sets the status, the reason and the cancellation time', () => {
    const cancelled = order(3, {
      type: 'OrderCancelled',
      data: { orderId, reason: 'changed my mind', cancelledAt: minutes(3) },
    });
    expect(fold([placed, confirmed, cancelled])).toMatchObject({
      status: 'CANCELLED',
      reason: 'changed my mind',
      cancelledAt: iso(minutes(3)),
      confirmedAt: iso(minutes(2)),
      version: 3,
    });
  });

  it('InvoiceIssued adds the invoice without changing the order’s version', () => {
    expect(fold([placed, confirmed, invoiced(minutes(4))])).toMatchObject({
      status: 'CONFIRMED',
      invoice: {
        invoiceId: 'INV-O-1',
        invoiceUrl: 'https://invoices.test/INV-O-1',
        amount: 500,
        currency: 'EUR',
        issuedAt: iso(minutes(4)),
      },
      version: 2,
      updatedAt: iso(minutes(4)),
    });
  });

  it('keeps an invoice read before its OrderPlaced, hidden until the order is placed', () => {
    const early = fold([invoiced(minutes(4))])!;
    expect(early).toMatchObject({
      orderId,
      status: null,
      customerId: null,
      invoice: { invoiceId: 'INV-O-1' },
      version: 0,
      updatedAt: iso(minutes(4)),
    });
    expect(ordersView.isVisible!(early)).toBe(false);

    const row = fold([placed, confirmed], early)!;
    expect(ordersView.isVisible!(row)).toBe(true);
    expect(row).toMatchObject({
      status: 'CONFIRMED',
      customerId: 'C-1',
      invoice: { invoiceId: 'INV-O-1', amount: 500 },
      version: 2,
      // the latest time seen, though the order's events happened before the invoice was read
      updatedAt: iso(minutes(4)),
    });
  });

  it('reaches the same row whichever of the order and its invoice is read first', () => {
    const invoiceFirst = fold([invoiced(minutes(4)), placed, confirmed]);
    const orderFirst = fold([placed, confirmed, invoiced(minutes(4))]);
    expect(invoiceFirst).toStrictEqual(orderFirst);
  });
});
