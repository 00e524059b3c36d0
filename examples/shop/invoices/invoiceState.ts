/** An issued invoice. */
export interface Invoice {
  readonly status: 'ISSUED';
  readonly invoiceId: string;
  readonly orderId: string;
  /** In cents of `currency`. */
  readonly amount: number;
  readonly currency: string;
  readonly invoiceUrl: string;
  /** Epoch ms. */
  readonly issuedAt: number;
}

/** The state of an invoice aggregate: nothing before its InvoiceIssued. Plain JSON. */
export type InvoiceState = { readonly status: 'NONE' } | Invoice;

export function initialInvoiceState(): InvoiceState {
  return { status: 'NONE' };
}
