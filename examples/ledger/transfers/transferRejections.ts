import { defineErrorCatalog } from '../../../src/index.js';

/** Why a transfer command can be rejected. A rejected command appends nothing. */
export const TRANSFER_REJECTIONS = defineErrorCatalog('transfer rejections', {
  /** RequestTransfer without a transfer id or an account, or from an account to itself. */
  INVALID_TRANSFER: 'a transfer needs an id and two different accounts',
  /** An amount that is not a whole number of cents from 1 (up to 2^53 − 2, MAX_AMOUNT). */
  INVALID_AMOUNT: 'the amount must be a positive whole number of cents',
  /** RequestTransfer with the id of a transfer with other details (the same details are a repeat). */
  TRANSFER_ID_TAKEN: 'another transfer has this id',
  /** CompleteTransfer or FailTransfer of a transfer never requested. */
  UNKNOWN_TRANSFER: 'no transfer with this id',
  /** CompleteTransfer of a failed transfer, or FailTransfer of a completed one. */
  TRANSFER_SETTLED: 'the transfer was settled otherwise',
});

export type TransferRejectionCode = keyof typeof TRANSFER_REJECTIONS;
