import type { RoutedCommand as Routed } from '../src/index.js';
import type { AccountCommand } from './ledger/accounts/accountCommands.js';
import type { TransferCommand } from './ledger/transfers/transferCommands.js';
import type { InvoiceCommand } from './shop/invoices/invoiceCommands.js';
import type { OrderCommand } from './shop/orders/orderCommands.js';
import type { StockCommand } from './shop/stock/stockCommands.js';

type To<Domain extends string, Command extends { type: string }> = Routed<Command> & {
  readonly domain: Domain;
};

/** A command the examples' sagas and policies send, typed by the domain it goes to. */
export type RoutedCommand =
  | To<'stock', StockCommand>
  | To<'orders', OrderCommand>
  | To<'invoices', InvoiceCommand>
  | To<'accounts', AccountCommand>
  | To<'transfers', TransferCommand>;
