import { TRANSFER_OUTCOME_TYPES, type TransferOutcome } from '../accounts/accountEvents.js';
import type { TransferRequested } from '../transfers/transferEvents.js';

/** What the saga hears: a transfer requested, and the accounts' answers re-keyed by transfer id. */
export type MoneyTransferEvent = TransferRequested | TransferOutcome;

export const MONEY_TRANSFER_EVENT_TYPES = [
  'TransferRequested',
  ...TRANSFER_OUTCOME_TYPES,
] as const satisfies readonly MoneyTransferEvent['type'][];
