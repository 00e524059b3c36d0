export type {
  AccountCommand,
  CloseAccount,
  CreditTransfer,
  DebitTransfer,
  DepositMoney,
  OpenAccount,
  RefundTransfer,
  SettleTransfer,
  WithdrawMoney,
  WriteCheck,
} from './accountCommands.js';
export { ACCOUNT_COMMAND_TYPES } from './accountCommands.js';
export type {
  AccountClosed,
  AccountEvent,
  AccountOpened,
  CheckWritten,
  MoneyDeposited,
  MoneyWithdrawn,
  TransferCreditDeclined,
  TransferCredited,
  TransferDebitDeclined,
  TransferDebited,
  TransferDeclineReason,
  TransferOutcome,
  TransferRefunded,
  TransferSettled,
} from './accountEvents.js';
export {
  ACCOUNT_EVENT_TYPES,
  balanceChange,
  TRANSFER_DECLINE_REASONS,
  TRANSFER_OUTCOME_TYPES,
} from './accountEvents.js';
export {
  type Account,
  type AccountState,
  type CheckNumberRanges,
  initialAccountState,
  isCheckUsed,
  withCheck,
} from './accountState.js';
export { ACCOUNT_REJECTIONS, type AccountRejectionCode } from './accountRejections.js';
export { decideAccount, isAmount, MAX_AMOUNT } from './decideAccount.js';
export { evolveAccount } from './evolveAccount.js';
export { accountDecider } from './accountDecider.js';
