import { type ApplicationContext, decodeEvent, type Processor, sendCommands } from '../../../src/index.js';
import type { OrderConfirmed } from '../orders/orderEvents.js';
import { invoiceFor } from './invoiceFor.js';

/** Where invoices are published when KES_INVOICE_BASE_URL does not say. */
export const DEFAULT_INVOICE_BASE_URL = 'https://invoices.kes.example/invoices';

/**
 * The invoicing policy as a processor: every OrderConfirmed on orders.events gets an IssueInvoice,
 * its URL under KES_INVOICE_BASE_URL.
 */
export function invoicing({ serde, sender, env }: ApplicationContext): Processor {
  const invoiceBaseUrl = env.KES_INVOICE_BASE_URL || DEFAULT_INVOICE_BASE_URL;
  return {
    name: 'invoicing',
    async process(record, context) {
      const event = await decodeEvent<OrderConfirmed>(serde, record, ['OrderConfirmed']);
      if (!event) return;
      const command = invoiceFor(event, { invoiceBaseUrl });
      await sendCommands(sender, [command], record, 'invoicing', context);
    },
  };
}
