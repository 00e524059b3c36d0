import type { DomainRecord, ListsEvery } from '../../../src/index.js';

// Fields as in schemas/accounts/<Type>.avsc (the schema test checks them). Amounts are whole
// cents (Avro long), one currency.

/** Open an account with its opening deposit and how far below zero it may go. */
export type OpenAccount = DomainRecord<
  'OpenAccount',
  {
    readonly accountId: string;
    readonly ownerId: string;
    readonly initialDeposit: number;
    readonly overdraftLimit: number;
  }
>;

/** Money paid into the account. */
export type DepositMoney = DomainRecord<
  'DepositMoney',
  { readonly accountId: string; readonly amount: number }
>;

/** Money taken out of the account; refused beyond the balance plus the overdraft limit. */
export type WithdrawMoney = DomainRecord<
  'WithdrawMoney',
  { readonly accountId: string; readonly amount: number }
>;

/** A check drawn on the account; each check number is used once per account. */
export type WriteCheck = DomainRecord<
  'WriteCheck',
  { readonly accountId: string; readonly checkNumber: number; readonly amount: number }
>;

/** Close the account; only at a zero balance. */
export type CloseAccount = DomainRecord<'CloseAccount', { readonly accountId: string }>;

/** Take a transfer's amount from its source account (sent by the money transfer saga). */
export type DebitTransfer = DomainRecord<
  'DebitTransfer',
  {
    readonly accountId: string;
    readonly transferId: string;
    readonly toAccountId: string;
    readonly amount: number;
  }
>;

/** Pay a debited transfer's amount into its target account (sent by the money transfer saga). */
export type CreditTransfer = DomainRecord<
  'CreditTransfer',
  {
    readonly accountId: string;
    readonly transferId: string;
    readonly fromAccountId: string;
    readonly amount: number;
  }
>;

/** Give a transfer's amount back to its source when the credit was declined (sent by the saga). */
export type RefundTransfer = DomainRecord<
  'RefundTransfer',
  {
    readonly accountId: string;
    readonly transferId: string;
    readonly toAccountId: string;
    readonly amount: number;
  }
>;

/** The target was credited: the source stops holding the transfer as in flight (sent by the saga). */
export type SettleTransfer = DomainRecord<
  'SettleTransfer',
  { readonly accountId: string; readonly transferId: string }
>;

export type AccountCommand =
  | OpenAccount
  | DepositMoney
  | WithdrawMoney
  | WriteCheck
  | CloseAccount
  | DebitTransfer
  | CreditTransfer
  | RefundTransfer
  | SettleTransfer;

export const ACCOUNT_COMMAND_TYPES = [
  'OpenAccount',
  'DepositMoney',
  'WithdrawMoney',
  'WriteCheck',
  'CloseAccount',
  'DebitTransfer',
  'CreditTransfer',
  'RefundTransfer',
  'SettleTransfer',
] as const satisfies readonly AccountCommand['type'][];

const _every: ListsEvery<AccountCommand['type'], typeof ACCOUNT_COMMAND_TYPES> = true;
