import { describe, expect, it } from 'vitest';
import type { OrderConfirmed } from '../orders/orderEvents.js';
import { invoiceFor, invoiceIdFor } from './invoiceFor.js';

const confirmed = (orderId = 'O-1', total = 2899, currency = 'EUR'): OrderConfirmed => ({
  type: 'OrderConfirmed',
  data: { orderId, confirmedAt: Date.UTC(2025, 2, 1), total, currency },
});

describe('invoicing policy', () => {
  it('issues an invoice of the order total, in its currency, published under the base URL', () => {
    expect(invoiceFor(confirmed(), { invoiceBaseUrl: 'https://invoices.example/kes' })).toStrictEqual({
      domain: 'invoices',
      aggregateId: 'INV-O-1',
      commandId: 'O-1/invoice',
      command: {
        type: 'IssueInvoice',
        data: {
          invoiceId: 'INV-O-1',
          orderId: 'O-1',
          amount: 2899,
          currency: 'EUR',
          invoiceUrl: 'https://invoices.example/kes/INV-O-1',
        },
      },
    });
  });

  it('carries the currency of the order', () => {
    const { command } = invoiceFor(confirmed('O-2', 100, 'USD'), { invoiceBaseUrl: 'https://i.example' });
    expect(command.data).toMatchObject({ amount: 100, currency: 'USD' });
  });

  it('does not double a trailing slash of the base URL', () => {
    for (const invoiceBaseUrl of ['https://invoices.example/', 'https://invoices.example//']) {
      expect(invoiceFor(confirmed(), { invoiceBaseUrl }).command.data.invoiceUrl).toBe(
        'https://invoices.example/INV-O-1',
      );
    }
  });

  it('escapes an order id that is not URL-safe in the URL, not in the invoice id', () => {
    const { command } = invoiceFor(confirmed('A 1/2'), { invoiceBaseUrl: 'https://i.example' });
    expect(command.data.invoiceId).toBe('INV-A 1/2');
    expect(command.data.invoiceUrl).toBe('https://i.example/INV-A%201%2F2');
  });

  it('is deterministic: the same event yields the same command and invoice id', () => {
    const options = { invoiceBaseUrl: 'https://invoices.example' };
    expect(invoiceFor(confirmed(), options)).toStrictEqual(invoiceFor(confirmed(), options));
    expect(invoiceIdFor('O-7')).toBe('INV-O-7');
    expect(invoiceFor(confirmed('O-7'), options).aggregateId).toBe(invoiceIdFor('O-7'));
  });
});
