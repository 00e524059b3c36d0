import type { OrderConfirmed } from '../orders/orderEvents.js';
import type { RoutedCommand } from '../../routedCommand.js';

export interface InvoicingOptions {
  /** Where invoices are published; an invoice's URL is `<invoiceBaseUrl>/<invoiceId>`. */
  readonly invoiceBaseUrl: string;
}

/** The command that invoices a confirmed order, with where it goes and its deterministic id. */
export type InvoiceCommandFor = Extract<RoutedCommand, { domain: 'invoices' }>;

/** An order's invoice id: derived from the order id, so an order is invoiced once. */
export function invoiceIdFor(orderId: string): string {
  return `INV-${orderId}`;
}

/**
 * The invoicing policy: a confirmed order gets an invoice of its total, in its currency. Every
 * part of the command comes from the event, so a repeat of the event yields the same command (and
 * the same invoice id, which the invoice aggregate issues once).
 */
export function invoiceFor(event: OrderConfirmed, options: InvoicingOptions): InvoiceCommandFor {
  const { orderId, total, currency } = event.data;
  const invoiceId = invoiceIdFor(orderId);
  const base = options.invoiceBaseUrl.replace(/\/+$/, '');
  return {
    domain: 'invoices',
    aggregateId: invoiceId,
    commandId: `${orderId}/invoice`,
    command: {
      type: 'IssueInvoice',
      data: {
        invoiceId,
        orderId,
        amount: total,
        currency,
        invoiceUrl: `${base}/${encodeURIComponent(invoiceId)}`,
      },
    },
  };
}
