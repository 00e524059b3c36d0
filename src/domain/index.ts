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
export { deciders, rejectionCatalogs } from './domainCatalog.js';
export * from './stock/index.js';
export * from './orders/index.js';
export * from './invoices/index.js';
export * from './fulfilment/index.js';
export * from './invoicing/index.js';
export * from './accounts/index.js';
export * from './transfers/index.js';
export * from './moneyTransfer/index.js';
