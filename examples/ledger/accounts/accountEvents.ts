import type { DomainRecord, ListsEvery } from '../../../src/index.js';

// Fields as in schemas/accounts/<Type>.avsc (the schema test checks them). `balance` is the
// account's balance after the event, for readers (statements); the state recomputes it.

export type AccountOpened = DomainRecord<
  'AccountOpened',
  {
    readonly accountId: string;
    readonly ownerId: string;
    readonly initialDeposit: number;
    readonly overdraftLimit: number;
  }
>;

export type MoneyDeposited = DomainRecord<
  'MoneyDeposited',
  { readonly accountId: string; readonly amount: number; readonly balance: number }
>;

export type MoneyWithdrawn = DomainRecord<
  'MoneyWithdrawn',
  { readonly accountId: string; readonly amount: number; readonly balance: number }
>;

export type CheckWritten = DomainRecord<
  'CheckWritten',
  {
    readonly accountId: string;
    readonly checkNumber: number;
    readonly amount: number;
    readonly balance: number;
  }
>;

export type AccountClosed = DomainRecord<'AccountClosed', { readonly accountId: string }>;

export type TransferDebited = DomainRecord<
  'TransferDebited',
  {
    readonly accountId: string;
    readonly transferId: string;
    readonly toAccountId: string;
    readonly amount: number;
    readonly balance: number;
  }
>;

/** The Avro enum kes.accounts.TransferDeclineReason, in its declared order. */
export const TRANSFER_DECLINE_REASONS = [
  'INSUFFICIENT_FUNDS',
  'ACCOUNT_CLOSED',
  'UNKNOWN_ACCOUNT',
  'INVALID_AMOUNT',
] as const;
export type TransferDeclineReason = (typeof TRANSFER_DECLINE_REASONS)[number];

/** A transfer's debit was refused: nothing left the account. */
export type TransferDebitDeclined = DomainRecord<
  'TransferDebitDeclined',
  {
    readonly accountId: string;
    readonly transferId: string;
    readonly toAccountId: string;
    readonly amount: number;
    readonly reason: TransferDeclineReason;
  }
>;

export type TransferCredited = DomainRecord<
  'TransferCredited',
  {
    readonly accountId: string;
    readonly transferId: string;
    readonly fromAccountId: string;
    readonly amount: number;
    readonly balance: number;
  }
>;

/** A transfer's credit was refused: nothing entered the account; the source gets a refund. */
export type TransferCreditDeclined = DomainRecord<
  'TransferCreditDeclined',
  {
    readonly accountId: string;
    readonly transferId: string;
    readonly fromAccountId: string;
    readonly amount: number;
    readonly reason: TransferDeclineReason;
  }
>;

export type TransferRefunded = DomainRecord<
  'TransferRefunded',
  {
    readonly accountId: string;
    readonly transferId: string;
    readonly toAccountId: string;
    readonly amount: number;
    readonly balance: number;
  }
>;

/** A transfer debited from this account reached its target: no longer in flight. */
export type TransferSettled = DomainRecord<
  'TransferSettled',
  { readonly accountId: string; readonly transferId: string }
>;

export type AccountEvent =
  | AccountOpened
  | MoneyDeposited
  | MoneyWithdrawn
  | CheckWritten
  | AccountClosed
  | TransferDebited
  | TransferDebitDeclined
  | TransferCredited
  | TransferCreditDeclined
  | TransferRefunded
  | TransferSettled;

export const ACCOUNT_EVENT_TYPES = [
  'AccountOpened',
  'MoneyDeposited',
  'MoneyWithdrawn',
  'CheckWritten',
  'AccountClosed',
  'TransferDebited',
  'TransferDebitDeclined',
  'TransferCredited',
  'TransferCreditDeclined',
  'TransferRefunded',
  'TransferSettled',
] as const satisfies readonly AccountEvent['type'][];

const _every: ListsEvery<AccountEvent['type'], typeof ACCOUNT_EVENT_TYPES> = true;

/** The events that answer a transfer's debit, credit or refund: the money transfer saga waits for them. */
export const TRANSFER_OUTCOME_TYPES = [
  'TransferDebited',
  'TransferDebitDeclined',
  'TransferCredited',
  'TransferCreditDeclined',
  'TransferRefunded',
] as const satisfies readonly AccountEvent['type'][];

export type TransferOutcome = Extract<AccountEvent, { type: (typeof TRANSFER_OUTCOME_TYPES)[number] }>;

/**
 * The signed change an event makes to the balance: positive money in, negative money out, 0 for
 * events that move no money. The one place the ledger's arithmetic is spelled out.
 */
export function balanceChange(event: AccountEvent): number {
  switch (event.type) {
    case 'AccountOpened':
      return event.data.initialDeposit;
    case 'MoneyDeposited':
    case 'TransferCredited':
    case 'TransferRefunded':
      return event.data.amount;
    case 'MoneyWithdrawn':
    case 'CheckWritten':
    case 'TransferDebited':
      return -event.data.amount;
    case 'AccountClosed':
    case 'TransferDebitDeclined':
    case 'TransferCreditDeclined':
    case 'TransferSettled':
      return 0;
  }
}
