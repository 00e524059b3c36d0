import { describe, expect, it } from 'vitest';
import { expectRecordsMatchSchemas, type RecordSamples } from '../../testing/recordConformance.js';
import { INVOICE_COMMAND_TYPES, type InvoiceCommand } from './invoiceCommands.js';
import { INVOICE_EVENT_TYPES, type InvoiceEvent } from './invoiceEvents.js';

const invoice = {
  invoiceId: 'INV-O-1',
  orderId: 'O-1',
  amount: 2500,
  currency: 'EUR',
  invoiceUrl: 'https://invoices.example/INV-O-1',
};

const commands: RecordSamples<InvoiceCommand> = { IssueInvoice: invoice };
const events: RecordSamples<InvoiceEvent> = { InvoiceIssued: { ...invoice, issuedAt: 1_700_000_000_000 } };

describe('invoice records', () => {
  it('have the fields of their schemas', () => {
    expectRecordsMatchSchemas('invoices', commands, events);
  });

  it('list their types in the order the decider does (the order of their topics)', () => {
    expect(Object.keys(commands)).toStrictEqual([...INVOICE_COMMAND_TYPES]);
    expect(Object.keys(events)).toStrictEqual([...INVOICE_EVENT_TYPES]);
  });
});
