import type { TransferDeclineReason } from '../accounts/accountEvents.js';
import type { CommandContext } from '../../../src/index.js';
import type { RoutedCommand } from '../../routedCommand.js';
import type { Reaction } from '../../../src/index.js';
import type { MoneyTransferEvent } from './moneyTransferEvent.js';
import type { MoneyTransferPhase, MoneyTransferState } from './moneyTransferState.js';

/**
 * The money transfer state machine: debit the source, then credit the target; a declined credit
 * refunds the source. Each step's command id is the transfer id and the step, so a repeat (the
 * saga re-run after a crash) is dropped by the command handler. An event the phase does not
 * expect (a repeat) changes nothing and sends nothing.
 */
export function reactToMoneyTransfer(
  state: MoneyTransferState,
  event: MoneyTransferEvent,
  _context: CommandContext,
): Reaction<MoneyTransferState, RoutedCommand> {
  const unchanged = { state, commands: [] };
  if (event.type === 'TransferRequested') {
    if (state.phase !== 'AWAITING_REQUEST') return unchanged;
    const transfer = event.data;
    return {
      state: { ...state, phase: 'DEBITING', transfer },
      commands: [
        toAccount(transfer.transferId, 'debit', {
          type: 'DebitTransfer',
          data: {
            accountId: transfer.fromAccountId,
            transferId: transfer.transferId,
            toAccountId: transfer.toAccountId,
            amount: transfer.amount,
          },
        }),
      ],
    };
  }
  const transfer = state.transfer;
  if (transfer === null) return unchanged;
  const { transferId } = transfer;
  const next = (phase: MoneyTransferPhase, command: RoutedCommand, declined = state.declined) => ({
    state: { ...state, phase, declined },
    commands: [command],
  });
  const fail = (reason: TransferDeclineReason, refunded: boolean) =>
    next(
      'FAILED',
      toTransfer(transferId, 'fail', { type: 'FailTransfer', data: { transferId, reason, refunded } }),
      reason,
    );
  switch (event.type) {
    case 'TransferDebitDeclined':
      return state.phase === 'DEBITING' ? fail(event.data.reason, false) : unchanged;
    case 'TransferDebited':
      if (state.phase !== 'DEBITING') return unchanged;
      return next(
        'CREDITING',
        toAccount(transferId, 'credit', {
          type: 'CreditTransfer',
          data: {
            accountId: transfer.toAccountId,
            transferId,
            fromAccountId: transfer.fromAccountId,
            amount: transfer.amount,
          },
        }),
      );
    case 'TransferCredited':
      if (state.phase !== 'CREDITING') return unchanged;
      return {
        state: { ...state, phase: 'COMPLETED' },
        commands: [
          toTransfer(transferId, 'complete', { type: 'CompleteTransfer', data: { transferId } }),
          toAccount(transferId, 'settle', {
            type: 'SettleTransfer',
            data: { accountId: transfer.fromAccountId, transferId },
          }),
        ],
      };
    case 'TransferCreditDeclined':
      if (state.phase !== 'CREDITING') return unchanged;
      return next(
        'REFUNDING',
        toAccount(transferId, 'refund', {
          type: 'RefundTransfer',
          data: {
            accountId: transfer.fromAccountId,
            transferId,
            toAccountId: transfer.toAccountId,
            amount: transfer.amount,
          },
        }),
        event.data.reason,
      );
    case 'TransferRefunded':
      return state.phase === 'REFUNDING' && state.declined !== null ? fail(state.declined, true) : unchanged;
  }
}

function toAccount(
  transferId: string,
  step: string,
  command: Extract<RoutedCommand, { domain: 'accounts' }>['command'],
): RoutedCommand {
  return {
    domain: 'accounts',
    aggregateId: command.data.accountId,
    commandId: `${transferId}:${step}`,
    command,
  };
}

function toTransfer(
  transferId: string,
  step: string,
  command: Extract<RoutedCommand, { domain: 'transfers' }>['command'],
): RoutedCommand {
  return { domain: 'transfers', aggregateId: transferId, commandId: `${transferId}:${step}`, command };
}
