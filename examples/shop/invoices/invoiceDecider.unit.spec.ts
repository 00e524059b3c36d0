import { describe, expect, it } from 'vitest';
import { deciderSpecification } from '../../../src/testing/index.js';
import type { InvoiceCommand } from './invoiceCommands.js';
import { invoiceDecider } from './invoiceDecider.js';
import type { InvoiceEvent } from './invoiceEvents.js';
import { INVOICE_REJECTIONS } from './invoiceRejections.js';

const spec = deciderSpecification(invoiceDecider, { rejections: INVOICE_REJECTIONS });
const { given } = spec;

const T0 = Date.UTC(2025, 2, 1, 12, 0);
const data = {
  invoiceId: 'INV-O-1',
  orderId: 'O-1',
  amount: 2899,
  currency: 'EUR',
  invoiceUrl: 'https://invoices.example/INV-O-1',
};
const issueInvoice = (changes: Partial<typeof data> = {}): InvoiceCommand => ({
  type: 'IssueInvoice',
  data: { ...data, ...changes },
});
const issued: InvoiceEvent = { type: 'InvoiceIssued', data: { ...data, issuedAt: T0 } };

describe('invoice decider', () => {
  it('addresses the invoice', () => {
    expect(invoiceDecider.aggregateIdOf(issueInvoice())).toBe('INV-O-1');
  });

  describe('IssueInvoice', () => {
    it('issues the invoice at the current time', () => {
      const state = given([]).when(issueInvoice(), { now: T0 }).then([issued]);
      expect(state).toStrictEqual({ status: 'ISSUED', ...data, issuedAt: T0 });
    });

    it('issues an invoice of 0', () => {
      given([])
        .when(issueInvoice({ amount: 0 }), { now: T0 })
        .then([{ type: 'InvoiceIssued', data: { ...data, amount: 0, issuedAt: T0 } }]);
    });

    it('answers a repeat for the same order with nothing: the first invoice stands', () => {
      given([issued]).when(issueInvoice()).thenNothing();
      given([issued])
        .when(issueInvoice({ amount: 1 }))
        .thenNothing();
    });

    it('rejects an invoice id already issued for another order', () => {
      given([issued])
        .when(issueInvoice({ orderId: 'O-2' }))
        .thenRejects('INVOICE_ID_TAKEN', /O-1/);
    });

    it('rejects an invoice without an invoice id or an order id', () => {
      given([])
        .when(issueInvoice({ invoiceId: '' }))
        .thenRejects('INVALID_INVOICE');
      given([])
        .when(issueInvoice({ orderId: ' ' }))
        .thenRejects('INVALID_INVOICE');
    });

    it('rejects a negative or fractional amount', () => {
      given([])
        .when(issueInvoice({ amount: -1 }))
        .thenRejects('INVALID_AMOUNT');
      given([])
        .when(issueInvoice({ amount: 0.5 }))
        .thenRejects('INVALID_AMOUNT');
    });

    it('rejects a currency that is not an ISO 4217 code', () => {
      for (const currency of ['', 'eur', 'EURO']) {
        given([]).when(issueInvoice({ currency })).thenRejects('INVALID_CURRENCY');
      }
    });

    it('rejects an empty invoice URL', () => {
      given([])
        .when(issueInvoice({ invoiceUrl: '' }))
        .thenRejects('INVALID_INVOICE_URL');
    });
  });

  it('has specs for every rejection code of its catalog', () => {
    expect([...spec.rejectionsSeen].sort()).toStrictEqual(Object.keys(INVOICE_REJECTIONS).sort());
  });
});
