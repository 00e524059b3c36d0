import type { ViewDefinition } from '../../../src/index.js';
import type { OrderStatus } from '../orders/orderState.js';
import type { OrderEventFields } from './ordersView.js';
import { ORDER_VIEW_EVENT_TYPES, orderIdOf } from './ordersView.js';

/** The pre-joined row a customer's order list shows. */
export interface OrderWithInvoiceRow {
  readonly orderId: string;
  /** Null until the order's OrderPlaced is read (its invoice may be read first). */
  readonly customerId: string | null;
  readonly customerName: string | null;
  readonly createdAt: string | null;
  readonly invoiceUrl: string | null;
  readonly status: OrderStatus | null;
}

/**
 * orders-with-invoices: orderId → customer, creation time, invoice URL and status — the join of
 * an order's events and its invoice's. Indexed by customer through a repartition topic.
 */
export const ordersWithInvoicesView: ViewDefinition<OrderWithInvoiceRow> = {
  name: 'orders-with-invoices',
  eventTypes: ORDER_VIEW_EVENT_TYPES,
  keyOf: orderIdOf,
  isVisible: (row) => row.status !== null,
  evolve(current, event) {
    const row: OrderWithInvoiceRow = current ?? {
      orderId: orderIdOf(event)!,
      customerId: null,
      customerName: null,
      createdAt: null,
      invoiceUrl: null,
      status: null,
    };
    const d = event.data as OrderEventFields;
    switch (event.type) {
      case 'InvoiceIssued':
        return { ...row, invoiceUrl: d.invoiceUrl };
      case 'OrderPlaced':
        return {
          ...row,
          customerId: d.customerId,
          customerName: d.customerName,
          createdAt: new Date(d.placedAt).toISOString(),
          status: 'PLACED',
        };
      case 'OrderConfirmed':
        return { ...row, status: 'CONFIRMED' };
      case 'OrderRejected':
        return { ...row, status: 'REJECTED' };
      case 'OrderCancelled':
        return { ...row, status: 'CANCELLED' };
      case 'OrderShipped':
        return { ...row, status: 'SHIPPED' };
      default:
        return row;
    }
  },
};
