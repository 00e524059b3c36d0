import type { TransferDeclineReason } from '../accounts/accountEvents.js';

/**
 * Where a transfer stands, as the saga sees it:
 * - AWAITING_REQUEST: nothing heard yet;
 * - DEBITING: DebitTransfer sent to the source;
 * - CREDITING: the source was debited, CreditTransfer sent to the target;
 * - REFUNDING: the credit was declined, RefundTransfer sent to the source;
 * - COMPLETED: the target was credited, CompleteTransfer sent;
 * - FAILED: the debit was declined, or the refund made; FailTransfer sent.
 */
export type MoneyTransferPhase =
  'AWAITING_REQUEST' | 'DEBITING' | 'CREDITING' | 'REFUNDING' | 'COMPLETED' | 'FAILED';

/** The saga's state for one transfer (plain JSON). */
export interface MoneyTransferState {
  readonly phase: MoneyTransferPhase;
  readonly transfer: {
    readonly transferId: string;
    readonly fromAccountId: string;
    readonly toAccountId: string;
    readonly amount: number;
  } | null;
  /** Why the debit or the credit was declined, once one was. */
  readonly declined: TransferDeclineReason | null;
}

export function initialMoneyTransferState(): MoneyTransferState {
  return { phase: 'AWAITING_REQUEST', transfer: null, declined: null };
}
