import { isAmount } from '../accounts/decideAccount.js';
import { accept, type CommandContext, type Decision, reject } from '../../../src/index.js';
import type { RequestTransfer, TransferCommand } from './transferCommands.js';
import type { TransferEvent } from './transferEvents.js';
import type { TransferRejectionCode } from './transferRejections.js';
import type { TransferState } from './transferState.js';

type TransferDecision = Decision<TransferEvent>;

const rejected = (code: TransferRejectionCode, message: string) => reject(code, message);

/** Decides a transfer command against the transfer's state. Pure. */
export function decideTransfer(
  command: TransferCommand,
  state: TransferState,
  _context: CommandContext,
): TransferDecision {
  switch (command.type) {
    case 'RequestTransfer':
      return request(command, state);
    case 'CompleteTransfer':
    case 'FailTransfer': {
      const { transferId } = command.data;
      if (state.status === 'NONE')
        return rejected('UNKNOWN_TRANSFER', `transfer ${transferId} does not exist`);
      const settlesAs = command.type === 'CompleteTransfer' ? 'COMPLETED' : 'FAILED';
      if (state.status === settlesAs) return accept();
      if (state.status !== 'REQUESTED') {
        return rejected('TRANSFER_SETTLED', `transfer ${transferId} is ${state.status.toLowerCase()}`);
      }
      return command.type === 'CompleteTransfer'
        ? accept({ type: 'TransferCompleted', data: { transferId } })
        : accept({ type: 'TransferFailed', data: { ...command.data } });
    }
  }
}

/** A transfer id is applied once: the same request again is a repeat, other details are refused. */
function request({ data }: RequestTransfer, state: TransferState): TransferDecision {
  const { transferId, fromAccountId, toAccountId, amount } = data;
  if (state.status !== 'NONE') {
    const same =
      state.fromAccountId === fromAccountId && state.toAccountId === toAccountId && state.amount === amount;
    return same
      ? accept()
      : rejected('TRANSFER_ID_TAKEN', `transfer ${transferId} was requested with other details`);
  }
  if (transferId.trim() === '' || fromAccountId === '' || toAccountId === '') {
    return rejected('INVALID_TRANSFER', 'a transfer needs an id, a source and a target account');
  }
  if (fromAccountId === toAccountId) {
    return rejected('INVALID_TRANSFER', `a transfer from account ${fromAccountId} to itself`);
  }
  if (!isAmount(amount)) return rejected('INVALID_AMOUNT', `${amount} is not an amount of at least 1 cent`);
  return accept({ type: 'TransferRequested', data: { transferId, fromAccountId, toAccountId, amount } });
}
