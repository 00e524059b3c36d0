import type { InvoiceEvent } from './invoiceEvents.js';
import type { InvoiceState } from './invoiceState.js';

/** Folds an invoice event into the state. */
export function evolveInvoice(_state: InvoiceState, event: InvoiceEvent): InvoiceState {
  const { invoiceId, orderId, amount, currency, invoiceUrl, issuedAt } = event.data;
  return { status: 'ISSUED', invoiceId, orderId, amount, currency, invoiceUrl, issuedAt };
}
