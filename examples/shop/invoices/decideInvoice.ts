import { accept, type CommandContext, type Decision, reject } from '../../../src/index.js';
import type { InvoiceCommand } from './invoiceCommands.js';
import type { InvoiceEvent } from './invoiceEvents.js';
import type { InvoiceRejectionCode } from './invoiceRejections.js';
import type { InvoiceState } from './invoiceState.js';

const rejected = (code: InvoiceRejectionCode, message: string) => reject(code, message);

/**
 * Issues an invoice once. The invoice id is derived from the order id, so issuing it again for the
 * same order is a repeat (accepted, nothing appended, the first invoice stands); for another order
 * it is refused.
 */
export function decideInvoice(
  command: InvoiceCommand,
  state: InvoiceState,
  { now }: CommandContext,
): Decision<InvoiceEvent> {
  const { invoiceId, orderId, amount, currency, invoiceUrl } = command.data;
  if (state.status === 'ISSUED') {
    if (state.orderId === orderId) return accept();
    return rejected('INVOICE_ID_TAKEN', `invoice ${invoiceId} was issued for order ${state.orderId}`);
  }
  if (invoiceId.trim() === '' || orderId.trim() === '') {
    return rejected('INVALID_INVOICE', 'an invoice needs a non-empty invoice id and order id');
  }
  if (!Number.isSafeInteger(amount) || amount < 0) {
    return rejected('INVALID_AMOUNT', `${amount} is not an amount in cents of 0 or more`);
  }
  if (!/^[A-Z]{3}$/.test(currency)) {
    return rejected('INVALID_CURRENCY', `"${currency}" is not an ISO 4217 currency code`);
  }
  if (invoiceUrl.trim() === '') return rejected('INVALID_INVOICE_URL', 'the invoice URL is empty');
  return accept({
    type: 'InvoiceIssued',
    data: { invoiceId, orderId, amount, currency, invoiceUrl, issuedAt: now },
  });
}
