import type { Decider } from '../../../src/index.js';
import { decideTransfer } from './decideTransfer.js';
import { evolveTransfer } from './evolveTransfer.js';
import { TRANSFER_COMMAND_TYPES, type TransferCommand } from './transferCommands.js';
import { TRANSFER_EVENT_TYPES, type TransferEvent } from './transferEvents.js';
import { initialTransferState, type TransferState } from './transferState.js';

/** A money transfer between two accounts: the aggregate id is the transfer id. */
export const transferDecider: Decider<TransferCommand, TransferEvent, TransferState> = {
  domain: 'transfers',
  commandTypes: TRANSFER_COMMAND_TYPES,
  eventTypes: TRANSFER_EVENT_TYPES,
  initialState: initialTransferState,
  decide: decideTransfer,
  evolve: evolveTransfer,
  aggregateIdOf: (command) => command.data.transferId,
  // The money transfer saga debits the one account and credits the other.
  relatedIdsOf: (command) =>
    command.type === 'RequestTransfer'
      ? [
          { field: 'fromAccountId', id: command.data.fromAccountId },
          { field: 'toAccountId', id: command.data.toAccountId },
        ]
      : [],
};
