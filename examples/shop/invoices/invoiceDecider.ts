import type { Decider } from '../../../src/index.js';
import { decideInvoice } from './decideInvoice.js';
import { evolveInvoice } from './evolveInvoice.js';
import { INVOICE_COMMAND_TYPES, type InvoiceCommand } from './invoiceCommands.js';
import { INVOICE_EVENT_TYPES, type InvoiceEvent } from './invoiceEvents.js';
import { initialInvoiceState, type InvoiceState } from './invoiceState.js';

/** One invoice: the aggregate id is the invoice id. */
export const invoiceDecider: Decider<InvoiceCommand, InvoiceEvent, InvoiceState> = {
  domain: 'invoices',
  commandTypes: INVOICE_COMMAND_TYPES,
  eventTypes: INVOICE_EVENT_TYPES,
  initialState: initialInvoiceState,
  decide: decideInvoice,
  evolve: evolveInvoice,
  aggregateIdOf: (command) => command.data.invoiceId,
};
