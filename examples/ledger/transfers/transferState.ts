import type { TransferDeclineReason } from '../accounts/accountEvents.js';

/**
 * A transfer: REQUESTED until the saga settles it as COMPLETED (the target was credited) or
 * FAILED (the debit was declined — nothing moved — or the credit was and the source refunded).
 */
export interface Transfer {
  readonly status: 'REQUESTED' | 'COMPLETED' | 'FAILED';
  readonly transferId: string;
  readonly fromAccountId: string;
  readonly toAccountId: string;
  readonly amount: number;
  readonly failure: { readonly reason: TransferDeclineReason; readonly refunded: boolean } | null;
}

/** The state of a transfer aggregate: nothing before its TransferRequested. Plain JSON. */
export type TransferState = { readonly status: 'NONE' } | Transfer;

export function initialTransferState(): TransferState {
  return { status: 'NONE' };
}
