import type { RoutedCommand } from '../../routedCommand.js';
import type { Saga } from '../../../src/index.js';
import { MONEY_TRANSFER_EVENT_TYPES, type MoneyTransferEvent } from './moneyTransferEvent.js';
import { initialMoneyTransferState, type MoneyTransferState } from './moneyTransferState.js';
import { reactToMoneyTransfer } from './reactToMoneyTransfer.js';

/** The money transfer saga: one instance per transfer, keyed by transfer id. */
export const moneyTransfer: Saga<MoneyTransferEvent, MoneyTransferState, RoutedCommand> = {
  name: 'money-transfers',
  eventTypes: MONEY_TRANSFER_EVENT_TYPES,
  initialState: initialMoneyTransferState,
  keyOf: (event) => event.data.transferId,
  react: reactToMoneyTransfer,
};
