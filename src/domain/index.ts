export {
  accept,
  type CommandContext,
  type Decider,
  type Decision,
  type RelatedId,
  reject,
  replay,
} from './decider.js';
export {
  checkDomainName,
  type DomainName,
  type DomainRecord,
  type ListsEvery,
  recordName,
} from './domainRecord.js';
export { isRejectionCode, type RejectionCatalog } from './rejectionCatalog.js';
export type { RoutedCommand } from './routedCommand.js';
export type { Reaction, Saga } from './saga.js';
