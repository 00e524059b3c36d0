import type { CommandSender } from '../../../src/commands/commandSender.js';
import { invoiceFor } from './invoiceFor.js';
import type { OrderConfirmed } from '../orders/orderEvents.js';
import type { Processor } from '../../../src/processor/processor.js';
import type { Serde } from '../../../src/serde/serde.js';
import { decodeEvent, sendCommands } from '../../../src/policies/sagaProcessor.js';

/** The invoicing policy as a processor: every OrderConfirmed on orders.events gets an IssueInvoice. */
export function invoicing(options: {
  serde: Serde;
  sender: CommandSender;
  invoiceBaseUrl: string;
}): Processor {
  return {
    name: 'invoicing',
    async process(record, context) {
      const event = await decodeEvent<OrderConfirmed>(options.serde, record, ['OrderConfirmed']);
      if (!event) return;
      const command = invoiceFor(event, { invoiceBaseUrl: options.invoiceBaseUrl });
      await sendCommands(options.sender, [command], record, 'invoicing', context);
    },
  };
}
