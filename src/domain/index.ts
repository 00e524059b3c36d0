export { accept, type CommandContext, type Decider, type Decision, reject, replay } from './decider.js';
export {
  DOMAIN_NAMES,
  type DomainName,
  type DomainRecord,
  type ListsEvery,
  recordName,
} from './domainRecord.js';
export { isRejectionCode, type RejectionCatalog } from './rejectionCatalog.js';
export type { RoutedCommand } from './routedCommand.js';
export type { Reaction, Saga } from './saga.js';
export { deciders, rejectionCatalogs } from '../../examples/domainCatalog.js';
export * from '../../examples/shop/stock/index.js';
export * from '../../examples/shop/orders/index.js';
export * from '../../examples/shop/invoices/index.js';
export * from '../../examples/shop/fulfilment/index.js';
export * from '../../examples/shop/invoicing/index.js';
export * from '../../examples/ledger/accounts/index.js';
export * from '../../examples/ledger/transfers/index.js';
export * from '../../examples/ledger/moneyTransfer/index.js';
