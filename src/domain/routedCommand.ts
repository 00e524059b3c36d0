import type { AccountCommand } from '../../examples/ledger/accounts/accountCommands.js';
import type { DomainName } from './domainRecord.js';
import type { InvoiceCommand } from '../../examples/shop/invoices/invoiceCommands.js';
import type { OrderCommand } from '../../examples/shop/orders/orderCommands.js';
import type { StockCommand } from '../../examples/shop/stock/stockCommands.js';
import type { TransferCommand } from '../../examples/ledger/transfers/transferCommands.js';

interface Routed<Domain extends DomainName, Command> {
  /** Where the command goes: `<domain>.commands`. */
  readonly domain: Domain;
  /** Its key there: the aggregate the command addresses. */
  readonly aggregateId: string;
  /**
   * Derived from the input only, so a policy that processes the same input again (after a crash)
   * emits the same id, and the command handler's idempotency by command id drops the repeat.
   */
  readonly commandId: string;
  readonly command: Command;
}

/** A command a policy or saga sends to a domain, with its destination and its deterministic id. */
export type RoutedCommand =
  | Routed<'stock', StockCommand>
  | Routed<'orders', OrderCommand>
  | Routed<'invoices', InvoiceCommand>
  | Routed<'accounts', AccountCommand>
  | Routed<'transfers', TransferCommand>;
