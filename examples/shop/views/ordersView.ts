import type { ViewDefinition, ViewEvent } from '../../../src/index.js';
import { recordName } from '../../../src/index.js';
import { INVOICE_EVENT_TYPES } from '../invoices/invoiceEvents.js';
import { ORDER_EVENT_TYPES } from '../orders/orderEvents.js';
import type { OrderStatus } from '../orders/orderState.js';
import type { OrderItem } from '../orders/orderCommands.js';
import type { InvoiceIssued } from '../invoices/invoiceEvents.js';
import type {
  OrderCancelled,
  OrderConfirmed,
  OrderPlaced,
  OrderRejected,
  OrderShipped,
} from '../orders/orderEvents.js';

/** Every field of the events the order views read (each event has some of them). */
export type OrderEventFields = OrderPlaced['data'] &
  OrderConfirmed['data'] &
  OrderRejected['data'] &
  OrderCancelled['data'] &
  OrderShipped['data'] &
  InvoiceIssued['data'];

/** An order with its invoice and shipping, as a frontend shows it. Times are ISO 8601. */
export interface OrderRow {
  readonly orderId: string;
  /** Null until the order's OrderPlaced is read (its invoice may be read first). */
  readonly status: OrderStatus | null;
  readonly customerId: string | null;
  readonly customerName: string | null;
  readonly items: readonly OrderItem[];
  /** In cents of `currency`. */
  readonly total: number | null;
  readonly currency: string | null;
  /** Why the order was rejected or cancelled. */
  readonly reason: string | null;
  readonly invoice: {
    readonly invoiceId: string;
    readonly invoiceUrl: string;
    readonly amount: number;
    readonly currency: string;
    readonly issuedAt: string;
  } | null;
  readonly shipping: {
    readonly carrier: string;
    readonly trackingCode: string;
    readonly shippedAt: string;
  } | null;
  readonly placedAt: string | null;
  readonly confirmedAt: string | null;
  readonly rejectedAt: string | null;
  readonly cancelledAt: string | null;
  /** The order aggregate's version this row reflects. */
  readonly version: number;
  readonly updatedAt: string;
}

export const ORDER_VIEW_EVENT_TYPES = [
  ...ORDER_EVENT_TYPES.map((t) => recordName('orders', t)),
  ...INVOICE_EVENT_TYPES.map((t) => recordName('invoices', t)),
];

const iso = (ms: number) => new Date(ms).toISOString();

/** An order's events and its invoice's are keyed by order id. */
export function orderIdOf(event: ViewEvent): string | undefined {
  if (event.domain === 'invoices') return event.data.orderId as string;
  return event.aggregateId;
}

function emptyOrder(orderId: string): OrderRow {
  return {
    orderId,
    status: null,
    customerId: null,
    customerName: null,
    items: [],
    total: null,
    currency: null,
    reason: null,
    invoice: null,
    shipping: null,
    placedAt: null,
    confirmedAt: null,
    rejectedAt: null,
    cancelledAt: null,
    version: 0,
    updatedAt: new Date(0).toISOString(),
  };
}

/** orders: orderId → status, customer, items, total, invoice, shipping, timestamps. */
export const ordersView: ViewDefinition<OrderRow> = {
  name: 'orders',
  eventTypes: ORDER_VIEW_EVENT_TYPES,
  keyOf: orderIdOf,
  isVisible: (row) => row.status !== null,
  evolve(current, event) {
    const row = current ?? emptyOrder(orderIdOf(event)!);
    const d = event.data as OrderEventFields;
    const updatedAt = iso(Math.max(Date.parse(row.updatedAt), event.time));
    if (event.domain === 'invoices') {
      const invoice = {
        invoiceId: d.invoiceId,
        invoiceUrl: d.invoiceUrl,
        amount: d.amount,
        currency: d.currency,
        issuedAt: iso(d.issuedAt),
      };
      return { ...row, invoice, updatedAt };
    }
    const next = { ...row, version: event.sequence, updatedAt };
    switch (event.type) {
      case 'OrderPlaced':
        return {
          ...next,
          status: 'PLACED',
          customerId: d.customerId,
          customerName: d.customerName,
          items: d.items,
          total: d.total,
          currency: d.currency,
          placedAt: iso(d.placedAt),
        };
      case 'OrderConfirmed':
        return { ...next, status: 'CONFIRMED', confirmedAt: iso(d.confirmedAt) };
      case 'OrderRejected':
        return { ...next, status: 'REJECTED', reason: d.reason, rejectedAt: iso(d.rejectedAt) };
      case 'OrderCancelled':
        return { ...next, status: 'CANCELLED', reason: d.reason, cancelledAt: iso(d.cancelledAt) };
      case 'OrderShipped':
        return {
          ...next,
          status: 'SHIPPED',
          shipping: { carrier: d.carrier, trackingCode: d.trackingCode, shippedAt: iso(d.shippedAt) },
        };
      default:
        return next;
    }
  },
};
