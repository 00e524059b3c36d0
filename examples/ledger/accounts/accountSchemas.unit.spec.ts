import avsc from 'avsc';
import { describe, expect, it } from 'vitest';
import { readRecordSchema } from '../../testing/avroRecordSchema.js';
import {
  enumSymbols,
  expectRecordsMatchSchemas,
  type RecordSamples,
} from '../../testing/recordConformance.js';
import { ACCOUNT_COMMAND_TYPES, type AccountCommand } from './accountCommands.js';
import { ACCOUNT_EVENT_TYPES, type AccountEvent, TRANSFER_DECLINE_REASONS } from './accountEvents.js';
import { MAX_AMOUNT } from './decideAccount.js';

const debit = { accountId: 'A-1', transferId: 'T-1', toAccountId: 'A-2', amount: 2500 };
const credit = { accountId: 'A-2', transferId: 'T-1', fromAccountId: 'A-1', amount: 2500 };

const commands: RecordSamples<AccountCommand> = {
  OpenAccount: { accountId: 'A-1', ownerId: 'U-1', initialDeposit: 10_000, overdraftLimit: 500 },
  DepositMoney: { accountId: 'A-1', amount: 1000 },
  WithdrawMoney: { accountId: 'A-1', amount: 500 },
  WriteCheck: { accountId: 'A-1', checkNumber: 101, amount: 750 },
  CloseAccount: { accountId: 'A-1' },
  DebitTransfer: debit,
  CreditTransfer: credit,
  RefundTransfer: debit,
  SettleTransfer: { accountId: 'A-1', transferId: 'T-1' },
};

const events: RecordSamples<AccountEvent> = {
  AccountOpened: { accountId: 'A-1', ownerId: 'U-1', initialDeposit: 10_000, overdraftLimit: 500 },
  MoneyDeposited: { accountId: 'A-1', amount: 1000, balance: 11_000 },
  MoneyWithdrawn: { accountId: 'A-1', amount: 500, balance: 10_500 },
  CheckWritten: { accountId: 'A-1', checkNumber: 101, amount: 750, balance: 9_750 },
  AccountClosed: { accountId: 'A-1' },
  TransferDebited: { ...debit, balance: -250 },
  TransferDebitDeclined: { ...debit, reason: 'INSUFFICIENT_FUNDS' },
  TransferCredited: { ...credit, balance: 2500 },
  TransferCreditDeclined: { ...credit, reason: 'ACCOUNT_CLOSED' },
  TransferRefunded: { ...debit, balance: 7_250 },
  TransferSettled: { accountId: 'A-1', transferId: 'T-1' },
};

describe('account records', () => {
  it('have the fields of their schemas', () => {
    expectRecordsMatchSchemas('accounts', commands, events);
  });

  it('list their types in the order the decider does (the order of their topics)', () => {
    expect(Object.keys(commands)).toStrictEqual([...ACCOUNT_COMMAND_TYPES]);
    expect(Object.keys(events)).toStrictEqual([...ACCOUNT_EVENT_TYPES]);
  });

  it('carry amounts and balances up to ±MAX_AMOUNT, and not one cent beyond (avsc refuses it)', () => {
    expectRecordsMatchSchemas(
      'accounts',
      { ...commands, DepositMoney: { accountId: 'A-1', amount: MAX_AMOUNT } },
      { ...events, TransferDebited: { ...debit, amount: MAX_AMOUNT, balance: -MAX_AMOUNT } },
    );
    const moneyDeposited = avsc.Type.forSchema(readRecordSchema('accounts', 'MoneyDeposited') as avsc.Schema);
    for (const balance of [MAX_AMOUNT + 1, -(MAX_AMOUNT + 1)]) {
      expect(moneyDeposited.isValid({ accountId: 'A-1', amount: 1, balance }), `${balance}`).toBe(false);
    }
  });

  it('name the transfer decline reasons as the Avro enum kes.accounts.TransferDeclineReason does', () => {
    for (const type of ['TransferDebitDeclined', 'TransferCreditDeclined']) {
      const schema = readRecordSchema('accounts', type);
      expect(enumSymbols(schema, 'reason'), type).toStrictEqual([...TRANSFER_DECLINE_REASONS]);
      expect(schema.fields.find((field) => field.name === 'reason')?.type, type).toMatchObject({
        name: 'TransferDeclineReason',
        namespace: 'kes.accounts',
      });
    }
  });
});
