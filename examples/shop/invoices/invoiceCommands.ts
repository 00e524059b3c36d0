import type { DomainRecord, ListsEvery } from '../../../src/index.js';

// Fields as in schemas/invoices/<Type>.avsc (the schema test checks them).

/** Invoice an order (sent by the invoicing policy for every confirmed order). */
export type IssueInvoice = DomainRecord<
  'IssueInvoice',
  {
    readonly invoiceId: string;
    readonly orderId: string;
    /** Amount due in cents of `currency`. */
    readonly amount: number;
    /** ISO 4217 code. */
    readonly currency: string;
    readonly invoiceUrl: string;
  }
>;

export type InvoiceCommand = IssueInvoice;

export const INVOICE_COMMAND_TYPES = ['IssueInvoice'] as const satisfies readonly InvoiceCommand['type'][];

const _every: ListsEvery<InvoiceCommand['type'], typeof INVOICE_COMMAND_TYPES> = true;
