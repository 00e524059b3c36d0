import { defineErrorCatalog } from '../../../src/index.js';

/**
 * Why an account command can be rejected. A rejected command appends nothing. (DebitTransfer and
 * CreditTransfer are answered with a declined event instead: the saga waits for an answer.)
 */
export const ACCOUNT_REJECTIONS = defineErrorCatalog('account rejections', {
  /** OpenAccount of an account id that was opened before (also a closed one). */
  ACCOUNT_ALREADY_EXISTS: 'the account already exists',
  /** OpenAccount without an account id or an owner id. */
  INVALID_ACCOUNT: 'an account needs a non-empty id and owner',
  /** A command to an account that was never opened. */
  UNKNOWN_ACCOUNT: 'no account with this id',
  /** A deposit, withdrawal, check or close of a closed account. */
  ACCOUNT_CLOSED: 'the account is closed',
  /**
   * An amount that is not a whole number of cents from 1 (from 0 for an opening deposit and an
   * overdraft limit), or beyond 2^53 − 2 (MAX_AMOUNT: the largest an event carries exactly).
   */
  INVALID_AMOUNT: 'the amount must be a positive whole number of cents',
  /** A withdrawal or check that would take the balance below minus the overdraft limit. */
  INSUFFICIENT_FUNDS: 'the balance and overdraft do not cover the amount',
  /** A deposit that would take the balance beyond 2^53 − 2 cents (MAX_AMOUNT). */
  BALANCE_LIMIT_EXCEEDED: 'the balance would exceed the largest amount an event can carry exactly',
  /** WriteCheck with a check number this account has used. */
  CHECK_NUMBER_USED: 'the check number was used before on this account',
  /** WriteCheck with a check number that is not a whole number from 1. */
  INVALID_CHECK_NUMBER: 'a check number is a whole number from 1',
  /** CloseAccount while the balance is not zero. */
  BALANCE_NOT_ZERO: 'an account is closed only at a zero balance',
  /** CloseAccount while a transfer debited from it may still be refunded. */
  TRANSFERS_IN_FLIGHT: 'a transfer from this account is not settled yet',
  /** A transfer command without a transfer id or a counterpart account. */
  INVALID_TRANSFER: 'the transfer is not identified',
});

export type AccountRejectionCode = keyof typeof ACCOUNT_REJECTIONS;
