import type { DomainRecord, ListsEvery } from '../../../src/index.js';

// Fields as in schemas/invoices/<Type>.avsc (the schema test checks them).

export type InvoiceIssued = DomainRecord<
  'InvoiceIssued',
  {
    readonly invoiceId: string;
    readonly orderId: string;
    readonly amount: number;
    readonly currency: string;
    readonly invoiceUrl: string;
    /** Epoch ms. */
    readonly issuedAt: number;
  }
>;

export type InvoiceEvent = InvoiceIssued;

export const INVOICE_EVENT_TYPES = ['InvoiceIssued'] as const satisfies readonly InvoiceEvent['type'][];

const _every: ListsEvery<InvoiceEvent['type'], typeof INVOICE_EVENT_TYPES> = true;
