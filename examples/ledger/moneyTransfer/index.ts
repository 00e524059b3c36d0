export { MONEY_TRANSFER_EVENT_TYPES, type MoneyTransferEvent } from './moneyTransferEvent.js';
export {
  initialMoneyTransferState,
  type MoneyTransferPhase,
  type MoneyTransferState,
} from './moneyTransferState.js';
export { reactToMoneyTransfer } from './reactToMoneyTransfer.js';
export { moneyTransfer } from './moneyTransfer.js';
