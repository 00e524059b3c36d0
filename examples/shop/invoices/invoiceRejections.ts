import { defineErrorCatalog } from '../../../src/index.js';

/** Why an invoice command can be rejected. A rejected command appends nothing. */
export const INVOICE_REJECTIONS = defineErrorCatalog('invoice rejections', {
  /** IssueInvoice without an invoice id or an order id. */
  INVALID_INVOICE: 'an invoice needs a non-empty invoice id and order id',
  /** An amount that is not a whole number of cents from 0. */
  INVALID_AMOUNT: 'the amount must be a whole number of cents, 0 or more',
  /** A currency that is not an ISO 4217 code (three capital letters). */
  INVALID_CURRENCY: 'the currency must be an ISO 4217 code',
  /** An empty invoice URL. */
  INVALID_INVOICE_URL: 'an invoice needs a URL',
  /** IssueInvoice of an invoice id already issued for another order (for the same order it is a repeat). */
  INVOICE_ID_TAKEN: 'the invoice id belongs to another order',
});

export type InvoiceRejectionCode = keyof typeof INVOICE_REJECTIONS;
