import type { DomainRecord, ListsEvery } from '../../../src/index.js';
import type { TransferDeclineReason } from '../accounts/accountEvents.js';

// Fields as in schemas/transfers/<Type>.avsc (the schema test checks them).

/** Move money from one account to another; the transfer id makes the request applied once. */
export type RequestTransfer = DomainRecord<
  'RequestTransfer',
  {
    readonly transferId: string;
    readonly fromAccountId: string;
    readonly toAccountId: string;
    readonly amount: number;
  }
>;

/** The target was credited (sent by the money transfer saga). */
export type CompleteTransfer = DomainRecord<'CompleteTransfer', { readonly transferId: string }>;

/** The transfer did not happen: the debit was declined, or the credit was and the source refunded (saga). */
export type FailTransfer = DomainRecord<
  'FailTransfer',
  { readonly transferId: string; readonly reason: TransferDeclineReason; readonly refunded: boolean }
>;

export type TransferCommand = RequestTransfer | CompleteTransfer | FailTransfer;

export const TRANSFER_COMMAND_TYPES = [
  'RequestTransfer',
  'CompleteTransfer',
  'FailTransfer',
] as const satisfies readonly TransferCommand['type'][];

const _every: ListsEvery<TransferCommand['type'], typeof TRANSFER_COMMAND_TYPES> = true;
