import { describe, expect, it } from 'vitest';
import { deciderSpecification } from '../../../src/testing/index.js';
import type { AccountCommand, OpenAccount } from './accountCommands.js';
import { accountDecider } from './accountDecider.js';
import { type AccountEvent, TRANSFER_DECLINE_REASONS, type TransferDeclineReason } from './accountEvents.js';
import { ACCOUNT_REJECTIONS } from './accountRejections.js';
import { MAX_AMOUNT } from './decideAccount.js';

const spec = deciderSpecification(accountDecider, { rejections: ACCOUNT_REJECTIONS });
const { given } = spec;

const accountId = 'A-1';
const ownerId = 'U-1';
const transferId = 'T-1';
const counterpart = 'A-2';
/** The largest amount or balance an event carries: 2^53 − 2 (avsc refuses a long of 2^53 − 1). */
const MAX = MAX_AMOUNT;

const opened = (initialDeposit = 10_000, overdraftLimit = 0): AccountEvent => ({
  type: 'AccountOpened',
  data: { accountId, ownerId, initialDeposit, overdraftLimit },
});
const deposited = (amount: number, balance: number): AccountEvent => ({
  type: 'MoneyDeposited',
  data: { accountId, amount, balance },
});
const withdrawn = (amount: number, balance: number): AccountEvent => ({
  type: 'MoneyWithdrawn',
  data: { accountId, amount, balance },
});
const checkWritten = (checkNumber: number, amount: number, balance: number): AccountEvent => ({
  type: 'CheckWritten',
  data: { accountId, checkNumber, amount, balance },
});
const closed: AccountEvent = { type: 'AccountClosed', data: { accountId } };
const debited = (amount: number, balance: number): AccountEvent => ({
  type: 'TransferDebited',
  data: { accountId, transferId, toAccountId: counterpart, amount, balance },
});
const debitDeclined = (amount: number, reason: TransferDeclineReason): AccountEvent => ({
  type: 'TransferDebitDeclined',
  data: { accountId, transferId, toAccountId: counterpart, amount, reason },
});
const credited = (amount: number, balance: number): AccountEvent => ({
  type: 'TransferCredited',
  data: { accountId, transferId, fromAccountId: counterpart, amount, balance },
});
const creditDeclined = (amount: number, reason: TransferDeclineReason): AccountEvent => ({
  type: 'TransferCreditDeclined',
  data: { accountId, transferId, fromAccountId: counterpart, amount, reason },
});
const refunded = (amount: number, balance: number): AccountEvent => ({
  type: 'TransferRefunded',
  data: { accountId, transferId, toAccountId: counterpart, amount, balance },
});

const open = (data: Partial<OpenAccount['data']> = {}): AccountCommand => ({
  type: 'OpenAccount',
  data: { accountId, ownerId, initialDeposit: 10_000, overdraftLimit: 0, ...data },
});
const deposit = (amount: number): AccountCommand => ({ type: 'DepositMoney', data: { accountId, amount } });
const withdraw = (amount: number): AccountCommand => ({ type: 'WithdrawMoney', data: { accountId, amount } });
const writeCheck = (checkNumber: number, amount: number): AccountCommand => ({
  type: 'WriteCheck',
  data: { accountId, checkNumber, amount },
});
const close: AccountCommand = { type: 'CloseAccount', data: { accountId } };
const debit = (amount: number, ids: { transferId?: string; toAccountId?: string } = {}): AccountCommand => ({
  type: 'DebitTransfer',
  data: { accountId, transferId, toAccountId: counterpart, amount, ...ids },
});
const credit = (
  amount: number,
  ids: { transferId?: string; fromAccountId?: string } = {},
): AccountCommand => ({
  type: 'CreditTransfer',
  data: { accountId, transferId, fromAccountId: counterpart, amount, ...ids },
});
const refund = (amount: number, ids: { transferId?: string; toAccountId?: string } = {}): AccountCommand => ({
  type: 'RefundTransfer',
  data: { accountId, transferId, toAccountId: counterpart, amount, ...ids },
});

/** Amounts that are not whole cents from 1, or that no event carries exactly. */
const BAD_AMOUNTS = [0, -1, 0.5, MAX + 1, MAX + 2, Number.NaN, Number.POSITIVE_INFINITY];

describe('account decider', () => {
  it('addresses the account', () => {
    expect(accountDecider.aggregateIdOf(open())).toBe(accountId);
    expect(accountDecider.aggregateIdOf(credit(1))).toBe(accountId);
  });

  describe('OpenAccount', () => {
    it('opens the account with its opening deposit and overdraft limit', () => {
      const state = given([])
        .when(open({ initialDeposit: 10_000, overdraftLimit: 500 }))
        .then([opened(10_000, 500)]);
      expect(state).toStrictEqual({
        status: 'OPEN',
        accountId,
        ownerId,
        balance: 10_000,
        overdraftLimit: 500,
        usedChecks: [],
        transfersInFlight: [],
      });
    });

    it('accepts an opening deposit and an overdraft limit of 0, or of the largest exact amount', () => {
      given([])
        .when(open({ initialDeposit: 0, overdraftLimit: 0 }))
        .then([opened(0, 0)]);
      given([])
        .when(open({ initialDeposit: MAX, overdraftLimit: MAX }))
        .then([opened(MAX, MAX)]);
    });

    it('rejects an account that exists, even closed, even with the same details', () => {
      given([opened()]).when(open()).thenRejects('ACCOUNT_ALREADY_EXISTS', /A-1/);
      given([opened(0), closed])
        .when(open())
        .thenRejects('ACCOUNT_ALREADY_EXISTS');
    });

    it('rejects an account without an id or an owner', () => {
      given([])
        .when(open({ accountId: '' }))
        .thenRejects('INVALID_ACCOUNT');
      given([])
        .when(open({ ownerId: '  ' }))
        .thenRejects('INVALID_ACCOUNT');
    });

    it('rejects an opening deposit or an overdraft limit below 0, fractional or not exact', () => {
      for (const amount of [-1, 1.5, MAX + 1, Number.NaN]) {
        given([])
          .when(open({ initialDeposit: amount }))
          .thenRejects('INVALID_AMOUNT', /opening deposit/);
        given([])
          .when(open({ overdraftLimit: amount }))
          .thenRejects('INVALID_AMOUNT', /overdraft limit/);
      }
    });

    it('opens an account whose transfers were declined before it existed', () => {
      const history = [debitDeclined(5, 'UNKNOWN_ACCOUNT'), creditDeclined(5, 'UNKNOWN_ACCOUNT')];
      given(history).when(open()).then([opened()]);
    });
  });

  describe('DepositMoney', () => {
    it('pays money in, the event carrying the balance after it', () => {
      const state = given([opened(10_000)])
        .when(deposit(2_500))
        .then([deposited(2_500, 12_500)]);
      expect(state).toMatchObject({ status: 'OPEN', balance: 12_500 });
    });

    it('pays into an overdrawn account', () => {
      given([opened(0, 500), withdrawn(300, -300)])
        .when(deposit(100))
        .then([deposited(100, -200)]);
    });

    it('rejects an account never opened, or closed', () => {
      given([]).when(deposit(1)).thenRejects('UNKNOWN_ACCOUNT', /A-1/);
      given([opened(0), closed])
        .when(deposit(1))
        .thenRejects('ACCOUNT_CLOSED', /A-1/);
    });

    it('rejects an amount below 1 cent, fractional or not exact', () => {
      for (const amount of BAD_AMOUNTS) {
        given([opened()]).when(deposit(amount)).thenRejects('INVALID_AMOUNT');
      }
    });

    it('rejects a balance beyond the largest exact amount, and accepts one up to it', () => {
      given([opened(MAX - 10)])
        .when(deposit(11))
        .thenRejects('BALANCE_LIMIT_EXCEEDED', /A-1/);
      given([opened(MAX - 10)])
        .when(deposit(10))
        .then([deposited(10, MAX)]);
    });
  });

  describe('WithdrawMoney', () => {
    it('takes money out, the event carrying the balance after it', () => {
      const state = given([opened(10_000)])
        .when(withdraw(2_500))
        .then([withdrawn(2_500, 7_500)]);
      expect(state).toMatchObject({ balance: 7_500 });
    });

    it('may take the balance exactly to minus the overdraft limit, and not one cent further', () => {
      const state = given([opened(1_000, 500)])
        .when(withdraw(1_500))
        .then([withdrawn(1_500, -500)]);
      expect(state).toMatchObject({ balance: -500 });
      given([opened(1_000, 500)])
        .when(withdraw(1_501))
        .thenRejects('INSUFFICIENT_FUNDS', /balance 1000, overdraft limit 500/);
    });

    it('without an overdraft, may empty the account and no more', () => {
      given([opened(1_000)])
        .when(withdraw(1_000))
        .then([withdrawn(1_000, 0)]);
      given([opened(1_000)])
        .when(withdraw(1_001))
        .thenRejects('INSUFFICIENT_FUNDS');
    });

    it('counts what an overdrawn account has already used of its overdraft', () => {
      given([opened(0, 500), withdrawn(400, -400)])
        .when(withdraw(100))
        .then([withdrawn(100, -500)]);
      given([opened(0, 500), withdrawn(400, -400)])
        .when(withdraw(101))
        .thenRejects('INSUFFICIENT_FUNDS');
      given([opened(0, 500), withdrawn(500, -500)])
        .when(withdraw(1))
        .thenRejects('INSUFFICIENT_FUNDS');
    });

    it('rejects the largest exact amount the account does not cover', () => {
      given([opened(MAX - 1)])
        .when(withdraw(MAX))
        .thenRejects('INSUFFICIENT_FUNDS');
    });

    it('rejects an account never opened, or closed', () => {
      given([]).when(withdraw(1)).thenRejects('UNKNOWN_ACCOUNT');
      given([opened(0), closed])
        .when(withdraw(1))
        .thenRejects('ACCOUNT_CLOSED');
    });

    it('rejects an amount below 1 cent, fractional or not exact', () => {
      for (const amount of BAD_AMOUNTS) {
        given([opened()]).when(withdraw(amount)).thenRejects('INVALID_AMOUNT');
      }
    });
  });

  describe('WriteCheck', () => {
    it('draws the check and records its number as used', () => {
      const state = given([opened(10_000)])
        .when(writeCheck(1, 2_000))
        .then([checkWritten(1, 2_000, 8_000)]);
      expect(state).toMatchObject({ balance: 8_000, usedChecks: [[1, 1]] });
    });

    it('uses each check number once', () => {
      given([opened(10_000), checkWritten(7, 100, 9_900)])
        .when(writeCheck(7, 100))
        .thenRejects('CHECK_NUMBER_USED', /check 7 of account A-1/);
      given([opened(10_000), checkWritten(7, 100, 9_900)])
        .when(writeCheck(8, 100))
        .then([checkWritten(8, 100, 9_800)]);
    });

    it('takes check numbers in any order, keeping them as merged ranges', () => {
      const history = [
        opened(10_000),
        checkWritten(1, 10, 9_990),
        checkWritten(2, 10, 9_980),
        checkWritten(3, 10, 9_970),
        checkWritten(10, 10, 9_960),
        checkWritten(5, 10, 9_950),
      ];
      for (const used of [1, 2, 3, 5, 10]) {
        given(history).when(writeCheck(used, 1)).thenRejects('CHECK_NUMBER_USED');
      }
      const state = given(history)
        .when(writeCheck(4, 10))
        .then([checkWritten(4, 10, 9_940)]);
      expect(state).toMatchObject({
        usedChecks: [
          [1, 5],
          [10, 10],
        ],
      });
      const later = given([...history, checkWritten(4, 10, 9_940), checkWritten(9, 10, 9_930)])
        .when(writeCheck(6, 10))
        .then([checkWritten(6, 10, 9_920)]);
      expect(later).toMatchObject({
        usedChecks: [
          [1, 6],
          [9, 10],
        ],
      });
      given([...history, checkWritten(4, 10, 9_940)])
        .when(writeCheck(MAX, 10))
        .then([checkWritten(MAX, 10, 9_930)]);
    });

    it('may take the balance exactly to minus the overdraft limit, and not one cent further', () => {
      given([opened(1_000, 500)])
        .when(writeCheck(1, 1_500))
        .then([checkWritten(1, 1_500, -500)]);
      given([opened(1_000, 500)])
        .when(writeCheck(1, 1_501))
        .thenRejects('INSUFFICIENT_FUNDS');
    });

    it('does not use up the number of a check it refuses', () => {
      given([opened(100)])
        .when(writeCheck(1, 101))
        .thenRejects('INSUFFICIENT_FUNDS');
      given([opened(100)])
        .when(writeCheck(1, 100))
        .then([checkWritten(1, 100, 0)]);
    });

    it('rejects a check number that is not a whole number from 1', () => {
      for (const checkNumber of [0, -1, 1.5, MAX + 1]) {
        given([opened()]).when(writeCheck(checkNumber, 100)).thenRejects('INVALID_CHECK_NUMBER');
      }
    });

    it('rejects an amount below 1 cent, fractional or not exact', () => {
      for (const amount of BAD_AMOUNTS) {
        given([opened()]).when(writeCheck(1, amount)).thenRejects('INVALID_AMOUNT');
      }
    });

    it('rejects an account never opened, or closed', () => {
      given([]).when(writeCheck(1, 1)).thenRejects('UNKNOWN_ACCOUNT');
      given([opened(0), closed])
        .when(writeCheck(1, 1))
        .thenRejects('ACCOUNT_CLOSED');
    });
  });

  describe('CloseAccount', () => {
    it('closes an account at a zero balance', () => {
      const state = given([opened(0)])
        .when(close)
        .then([closed]);
      expect(state).toMatchObject({ status: 'CLOSED', balance: 0 });
      given([opened(500), withdrawn(500, 0)])
        .when(close)
        .then([closed]);
    });

    it('rejects a balance above or below zero', () => {
      given([opened(1)])
        .when(close)
        .thenRejects('BALANCE_NOT_ZERO', /balance of 1 cents/);
      given([opened(0, 500), withdrawn(200, -200)])
        .when(close)
        .thenRejects('BALANCE_NOT_ZERO', /-200/);
    });

    it('rejects an account already closed (no repeat), or never opened', () => {
      given([opened(0), closed])
        .when(close)
        .thenRejects('ACCOUNT_CLOSED');
      given([]).when(close).thenRejects('UNKNOWN_ACCOUNT');
    });
  });

  describe('DebitTransfer', () => {
    it('takes the amount out for the transfer', () => {
      const state = given([opened(10_000)])
        .when(debit(2_500))
        .then([debited(2_500, 7_500)]);
      expect(state).toMatchObject({ balance: 7_500 });
    });

    it('may take the balance exactly to minus the overdraft limit; one cent more is declined', () => {
      given([opened(1_000, 500)])
        .when(debit(1_500))
        .then([debited(1_500, -500)]);
      const state = given([opened(1_000, 500)])
        .when(debit(1_501))
        .then([debitDeclined(1_501, 'INSUFFICIENT_FUNDS')]);
      expect(state).toMatchObject({ status: 'OPEN', balance: 1_000 });
    });

    it('answers an account never opened with a declined event, and stays without an account', () => {
      const state = given([])
        .when(debit(100))
        .then([debitDeclined(100, 'UNKNOWN_ACCOUNT')]);
      expect(state).toStrictEqual({ status: 'NONE' });
    });

    it('answers a closed account with a declined event', () => {
      const state = given([opened(0), closed])
        .when(debit(100))
        .then([debitDeclined(100, 'ACCOUNT_CLOSED')]);
      expect(state).toMatchObject({ status: 'CLOSED', balance: 0 });
    });

    it('answers an amount below 1 cent, fractional or not exact with a declined event', () => {
      for (const amount of [0, -5, 1.5, MAX + 1]) {
        given([opened()])
          .when(debit(amount))
          .then([debitDeclined(amount, 'INVALID_AMOUNT')]);
      }
    });

    it('declines for the account before the amount', () => {
      given([])
        .when(debit(0))
        .then([debitDeclined(0, 'UNKNOWN_ACCOUNT')]);
      given([opened(0), closed])
        .when(debit(0))
        .then([debitDeclined(0, 'ACCOUNT_CLOSED')]);
    });

    it('declines a debit for every reason of the enum', () => {
      const cases: Record<TransferDeclineReason, [AccountEvent[], number]> = {
        INSUFFICIENT_FUNDS: [[opened(100)], 101],
        ACCOUNT_CLOSED: [[opened(0), closed], 1],
        UNKNOWN_ACCOUNT: [[], 1],
        INVALID_AMOUNT: [[opened()], 0],
      };
      expect(Object.keys(cases)).toStrictEqual([...TRANSFER_DECLINE_REASONS]);
      for (const reason of TRANSFER_DECLINE_REASONS) {
        const [history, amount] = cases[reason];
        given(history)
          .when(debit(amount))
          .then([debitDeclined(amount, reason)]);
      }
    });

    it('rejects a debit without a transfer id or a target account: no saga waits for it', () => {
      given([opened()])
        .when(debit(100, { transferId: '' }))
        .thenRejects('INVALID_TRANSFER');
      given([])
        .when(debit(100, { toAccountId: '' }))
        .thenRejects('INVALID_TRANSFER');
    });
  });

  describe('CreditTransfer', () => {
    it('pays the amount in for the transfer', () => {
      const state = given([opened(10_000)])
        .when(credit(2_500))
        .then([credited(2_500, 12_500)]);
      expect(state).toMatchObject({ balance: 12_500 });
      given([opened(0, 500), withdrawn(500, -500)])
        .when(credit(200))
        .then([credited(200, -300)]);
    });

    it('answers an account never opened with a declined event, and stays without an account', () => {
      const state = given([])
        .when(credit(100))
        .then([creditDeclined(100, 'UNKNOWN_ACCOUNT')]);
      expect(state).toStrictEqual({ status: 'NONE' });
    });

    it('answers a closed account with a declined event', () => {
      const state = given([opened(0), closed])
        .when(credit(100))
        .then([creditDeclined(100, 'ACCOUNT_CLOSED')]);
      expect(state).toMatchObject({ status: 'CLOSED', balance: 0 });
    });

    it('answers an amount below 1 cent, fractional or not exact with a declined event', () => {
      for (const amount of [0, -5, 1.5, MAX + 1]) {
        given([opened()])
          .when(credit(amount))
          .then([creditDeclined(amount, 'INVALID_AMOUNT')]);
      }
    });

    it('declines a credit that would take the balance beyond the largest exact amount', () => {
      const state = given([opened(MAX - 10)])
        .when(credit(11))
        .then([creditDeclined(11, 'INVALID_AMOUNT')]);
      expect(state).toMatchObject({ balance: MAX - 10 });
      given([opened(MAX - 10)])
        .when(credit(10))
        .then([credited(10, MAX)]);
    });

    it('declines a credit for every reason of the enum but insufficient funds', () => {
      const cases: Record<Exclude<TransferDeclineReason, 'INSUFFICIENT_FUNDS'>, [AccountEvent[], number]> = {
        ACCOUNT_CLOSED: [[opened(0), closed], 1],
        UNKNOWN_ACCOUNT: [[], 1],
        INVALID_AMOUNT: [[opened(MAX)], 1],
      };
      for (const [reason, [history, amount]] of Object.entries(cases)) {
        given(history)
          .when(credit(amount))
          .then([creditDeclined(amount, reason as TransferDeclineReason)]);
      }
    });

    it('rejects a credit without a transfer id or a source account: no saga waits for it', () => {
      given([opened()])
        .when(credit(100, { transferId: '' }))
        .thenRejects('INVALID_TRANSFER');
      given([])
        .when(credit(100, { fromAccountId: '' }))
        .thenRejects('INVALID_TRANSFER');
    });
  });

  describe('RefundTransfer', () => {
    it('gives the amount of a declined credit back', () => {
      const state = given([opened(10_000), debited(2_500, 7_500)])
        .when(refund(2_500))
        .then([refunded(2_500, 10_000)]);
      expect(state).toMatchObject({ status: 'OPEN', balance: 10_000 });
    });

    it('ends the transfer in flight: the account can be closed again once empty', () => {
      const history = [opened(500), debited(500, 0)];
      given(history).when(close).thenRejects('TRANSFERS_IN_FLIGHT', /T-1/);
      const state = given(history)
        .when(refund(500))
        .then([refunded(500, 500)]);
      expect(state).toMatchObject({ status: 'OPEN', balance: 500, transfersInFlight: [] });
    });

    it('refunds beyond the overdraft: a refund only ever adds', () => {
      given([opened(0, 100), debited(100, -100)])
        .when(refund(100))
        .then([refunded(100, 0)]);
    });

    it('rejects an account never opened, or an amount below 1 cent', () => {
      given([]).when(refund(100)).thenRejects('UNKNOWN_ACCOUNT');
      for (const amount of [0, -1, 0.5, MAX + 1]) {
        given([opened()]).when(refund(amount)).thenRejects('INVALID_AMOUNT');
      }
    });

    it('rejects a refund without a transfer id or a target account', () => {
      given([opened()])
        .when(refund(100, { transferId: '' }))
        .thenRejects('INVALID_TRANSFER');
      given([opened()])
        .when(refund(100, { toAccountId: '' }))
        .thenRejects('INVALID_TRANSFER');
    });
  });

  describe('balance', () => {
    it('is recomputed from the events’ amounts, not taken from their balance field', () => {
      given([opened(100), deposited(50, 999_999)])
        .when(withdraw(150))
        .then([withdrawn(150, 0)]);
    });

    it('moves with every kind of movement, and not with declined transfers or the closing', () => {
      const state = given([
        opened(1_000, 200),
        deposited(500, 1_500),
        withdrawn(300, 1_200),
        checkWritten(1, 200, 1_000),
        debited(400, 600),
        debitDeclined(9_999, 'INSUFFICIENT_FUNDS'),
        credited(50, 650),
        creditDeclined(10, 'INVALID_AMOUNT'),
        refunded(400, 1_050),
      ])
        .when(withdraw(1_250))
        .then([withdrawn(1_250, -200)]);
      expect(state).toMatchObject({ balance: -200, usedChecks: [[1, 1]] });
    });
  });

  describe('SettleTransfer and transfers in flight', () => {
    const settle = (id = transferId): AccountCommand => ({
      type: 'SettleTransfer',
      data: { accountId, transferId: id },
    });
    const settled: AccountEvent = { type: 'TransferSettled', data: { accountId, transferId } };

    it('holds a debited transfer in flight until it is settled, and refuses to close meanwhile', () => {
      const inFlight = given([opened(500)])
        .when(debit(500))
        .then([debited(500, 0)]);
      expect(inFlight).toMatchObject({ balance: 0, transfersInFlight: [transferId] });
      given([opened(500), debited(500, 0)])
        .when(close)
        .thenRejects('TRANSFERS_IN_FLIGHT');
      const after = given([opened(500), debited(500, 0)])
        .when(settle())
        .then([settled]);
      expect(after).toMatchObject({ balance: 0, transfersInFlight: [] });
      given([opened(500), debited(500, 0), settled])
        .when(close)
        .then([closed]);
    });

    it('answers a debit of a transfer in flight as a repeat', () => {
      given([opened(500), debited(200, 300)])
        .when(debit(200))
        .thenNothing();
    });

    it('settles nothing for a transfer not in flight (a repeat, or one refunded)', () => {
      given([opened(500)])
        .when(settle())
        .thenNothing();
      given([opened(500), debited(200, 300), settled])
        .when(settle())
        .thenNothing();
      given([opened(500), debited(200, 300), refunded(200, 500)])
        .when(settle())
        .thenNothing();
    });

    it('rejects a settlement without a transfer id, or for an account never opened', () => {
      given([opened(500)])
        .when(settle(''))
        .thenRejects('INVALID_TRANSFER');
      given([]).when(settle()).thenRejects('UNKNOWN_ACCOUNT');
    });
  });

  it('has specs for every rejection code of its catalog', () => {
    expect([...spec.rejectionsSeen].sort()).toStrictEqual(Object.keys(ACCOUNT_REJECTIONS).sort());
  });
});
