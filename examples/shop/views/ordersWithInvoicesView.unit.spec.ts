import { describe, expect, it } from 'vitest';
import type { ViewEvent } from '../../../src/index.js';
import type { OrderEvent } from '../orders/orderEvents.js';
import { deepFreeze } from '../../../src/testing/index.js';
import { ordersView } from './ordersView.js';
import { type OrderWithInvoiceRow, ordersWithInvoicesView } from './ordersWithInvoicesView.js';

const T0 = Date.UTC(2025, 0, 15, 9, 30);
const minutes = (n: number) => T0 + n * 60_000;
const orderId = 'O-1';
const invoiceUrl = 'https://invoices.test/INV-O-1';

const order = (sequence: number, event: OrderEvent): ViewEvent =>
  deepFreeze({ domain: 'orders', ...event, aggregateId: orderId, sequence, time: minutes(sequence) });

const invoiced: ViewEvent = deepFreeze({
  domain: 'invoices',
  type: 'InvoiceIssued',
  aggregateId: 'INV-O-1',
  sequence: 1,
  time: minutes(5),
  data: { invoiceId: 'INV-O-1', orderId, amount: 500, currency: 'EUR', invoiceUrl, issuedAt: minutes(5) },
});

const placed = order(1, {
  type: 'OrderPlaced',
  data: {
    orderId,
    customerId: 'C-1',
    customerName: 'Ada',
    items: [{ productId: 'apple', quantity: 2, unitPrice: 250 }],
    placedAt: minutes(1),
    currency: 'EUR',
    total: 500,
  },
});
const confirmed = order(2, {
  type: 'OrderConfirmed',
  data: { orderId, confirmedAt: minutes(2), total: 500, currency: 'EUR' },
});

const fold = (events: readonly ViewEvent[], row?: OrderWithInvoiceRow) =>
  events.reduce<OrderWithInvoiceRow | undefined>(
    (r, e) => ordersWithInvoicesView.evolve(r && deepFreeze(r), e),
    row,
  );

describe('orders-with-invoices view', () => {
  it('reads what the orders view reads, keyed the same way', () => {
    expect(ordersWithInvoicesView.eventTypes).toEqual(ordersView.eventTypes);
    expect(ordersWithInvoicesView.keyOf!(placed)).toBe(orderId);
    expect(ordersWithInvoicesView.keyOf!(invoiced)).toBe(orderId);
  });

  it('OrderPlaced makes a visible row with the customer and the creation time', () => {
    const row = fold([placed])!;
    expect(row).toStrictEqual({
      orderId,
      customerId: 'C-1',
      customerName: 'Ada',
      createdAt: new Date(minutes(1)).toISOString(),
      invoiceUrl: null,
      status: 'PLACED',
    });
    expect(ordersWithInvoicesView.isVisible!(row)).toBe(true);
  });

  it.each([
    ['OrderConfirmed', confirmed, 'CONFIRMED'],
    [
      'OrderRejected',
      order(2, { type: 'OrderRejected', data: { orderId, reason: 'no stock', rejectedAt: minutes(2) } }),
      'REJECTED',
    ],
    [
      'OrderCancelled',
      order(2, { type: 'OrderCancelled', data: { orderId, reason: 'too late', cancelledAt: minutes(2) } }),
      'CANCELLED',
    ],
    [
      'OrderShipped',
      order(3, {
        type: 'OrderShipped',
        data: { orderId, carrier: 'DHL', trackingCode: 'T-1', shippedAt: minutes(3) },
      }),
      'SHIPPED',
    ],
  ] as const)('%s sets the status to %s, the rest as it was', (_type, event, status) => {
    const row = fold([placed]);
    expect(fold([event], row)).toStrictEqual({ ...row, status });
  });

  it('InvoiceIssued adds the invoice URL', () => {
    expect(fold([placed, confirmed, invoiced])).toMatchObject({ status: 'CONFIRMED', invoiceUrl });
  });

  it('keeps an invoice read before its OrderPlaced, hidden until the order is placed', () => {
    const early = fold([invoiced])!;
    expect(early).toStrictEqual({
      orderId,
      customerId: null,
      customerName: null,
      createdAt: null,
      invoiceUrl,
      status: null,
    });
    expect(ordersWithInvoicesView.isVisible!(early)).toBe(false);
    const row = fold([placed, confirmed], early)!;
    expect(row).toMatchObject({ customerId: 'C-1', invoiceUrl, status: 'CONFIRMED' });
    expect(ordersWithInvoicesView.isVisible!(row)).toBe(true);
    expect(row).toStrictEqual(fold([placed, confirmed, invoiced]));
  });
});
