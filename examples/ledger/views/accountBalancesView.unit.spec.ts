import { describe, expect, it } from 'vitest';
import type { ViewEvent } from '../../../src/index.js';
import { ACCOUNT_EVENT_TYPES, type AccountEvent } from '../accounts/accountEvents.js';
import { deepFreeze } from '../../../src/testing/index.js';
import { type AccountBalanceRow, accountBalancesView } from './accountBalancesView.js';

const T0 = Date.UTC(2025, 0, 15, 9, 30);
const accountId = 'A-1';
const transfer = { accountId, transferId: 'T-1' };

/** An event of A-1 as the view reads it: version `sequence`, `sequence` minutes after T0. */
const at = (sequence: number, event: AccountEvent): ViewEvent =>
  deepFreeze({
    domain: 'accounts',
    type: event.type,
    aggregateId: accountId,
    sequence,
    time: T0 + sequence * 60_000,
    data: event.data,
  });

const opened = (initialDeposit: number, overdraftLimit = 0): AccountEvent => ({
  type: 'AccountOpened',
  data: { accountId, ownerId: 'U-1', initialDeposit, overdraftLimit },
});

/** The row after the events, in order, each folded into the previous row. */
const fold = (events: readonly ViewEvent[], row?: AccountBalanceRow) =>
  events.reduce<AccountBalanceRow | undefined>(
    (r, e) => accountBalancesView.evolve(r && deepFreeze(r), e),
    row,
  );

const isoAt = (sequence: number) => new Date(T0 + sequence * 60_000).toISOString();

describe('account balances view', () => {
  it('reads every account event type, keyed by account id, every row visible', () => {
    expect([...accountBalancesView.eventTypes].sort()).toStrictEqual(
      ACCOUNT_EVENT_TYPES.map((type) => `kes.accounts.${type}`).sort(),
    );
    expect(accountBalancesView.name).toBe('account-balances');
    expect(accountBalancesView.keyOf).toBeUndefined(); // the aggregate id
    expect(accountBalancesView.isVisible).toBeUndefined();
  });

  it('AccountOpened creates the row: the opening deposit is money in and a transaction', () => {
    expect(fold([at(1, opened(10_000, 500))])).toStrictEqual({
      accountId,
      ownerId: 'U-1',
      status: 'OPEN',
      balance: 10_000,
      overdraftLimit: 500,
      totalDeposits: 10_000,
      totalWithdrawals: 0,
      lastTransactionAt: isoAt(1),
      version: 1,
    });
  });

  it('adds deposits, transfers received and refunds to the money in', () => {
    const row = fold([
      at(1, opened(1_000)),
      at(2, { type: 'MoneyDeposited', data: { accountId, amount: 500, balance: 1_500 } }),
      at(3, {
        type: 'TransferCredited',
        data: { ...transfer, fromAccountId: 'A-2', amount: 200, balance: 1_700 },
      }),
      at(4, {
        type: 'TransferRefunded',
        data: { ...transfer, toAccountId: 'A-2', amount: 50, balance: 1_750 },
      }),
    ]);
    expect(row).toMatchObject({
      balance: 1_750,
      totalDeposits: 1_750,
      totalWithdrawals: 0,
      lastTransactionAt: isoAt(4),
      version: 4,
    });
  });

  it('adds withdrawals, checks and transfers sent to the money out, within the overdraft', () => {
    const row = fold([
      at(1, opened(1_000, 1_000)),
      at(2, { type: 'MoneyWithdrawn', data: { accountId, amount: 300, balance: 700 } }),
      at(3, { type: 'CheckWritten', data: { accountId, checkNumber: 7, amount: 900, balance: -200 } }),
      at(4, {
        type: 'TransferDebited',
        data: { ...transfer, toAccountId: 'A-2', amount: 100, balance: -300 },
      }),
    ]);
    expect(row).toMatchObject({
      balance: -300,
      totalDeposits: 1_000,
      totalWithdrawals: 1_300,
      lastTransactionAt: isoAt(4),
      version: 4,
    });
    expect(row!.balance).toBe(row!.totalDeposits - row!.totalWithdrawals);
  });

  it('declined transfers move no money: only the version changes', () => {
    const row = fold([
      at(1, opened(1_000)),
      at(2, {
        type: 'TransferDebitDeclined',
        data: { ...transfer, toAccountId: 'A-2', amount: 5_000, reason: 'INSUFFICIENT_FUNDS' },
      }),
      at(3, {
        type: 'TransferCreditDeclined',
        data: { ...transfer, fromAccountId: 'A-2', amount: 5_000, reason: 'INVALID_AMOUNT' },
      }),
    ]);
    expect(row).toStrictEqual({ ...fold([at(1, opened(1_000))]), version: 3 });
    expect(row?.lastTransactionAt).toBe(isoAt(1));
  });

  it('AccountClosed closes the row without a transaction; a refund afterwards still counts', () => {
    const closed = fold([
      at(1, opened(500)),
      at(2, { type: 'TransferDebited', data: { ...transfer, toAccountId: 'A-2', amount: 500, balance: 0 } }),
      at(3, { type: 'AccountClosed', data: { accountId } }),
    ]);
    expect(closed).toMatchObject({ status: 'CLOSED', balance: 0, lastTransactionAt: isoAt(2), version: 3 });
    expect(
      fold(
        [
          at(4, {
            type: 'TransferRefunded',
            data: { ...transfer, toAccountId: 'A-2', amount: 500, balance: 500 },
          }),
        ],
        closed,
      ),
    ).toMatchObject({
      status: 'CLOSED',
      balance: 500,
      totalDeposits: 1_000,
      totalWithdrawals: 500,
      lastTransactionAt: isoAt(4),
      version: 4,
    });
  });

  it('makes no row from an event read before the account’s AccountOpened', () => {
    expect(
      fold([
        at(1, {
          type: 'TransferCreditDeclined',
          data: { ...transfer, fromAccountId: 'A-2', amount: 5, reason: 'UNKNOWN_ACCOUNT' },
        }),
      ]),
    ).toBeUndefined();
    expect(
      fold([at(2, { type: 'MoneyDeposited', data: { accountId, amount: 5, balance: 5 } })]),
    ).toBeUndefined();
  });

  it('opens the row of an account whose transfers were declined before it existed, at its version', () => {
    const row = fold([
      at(1, {
        type: 'TransferDebitDeclined',
        data: { ...transfer, toAccountId: 'A-2', amount: 5, reason: 'UNKNOWN_ACCOUNT' },
      }),
      at(2, opened(100)),
    ]);
    expect(row).toMatchObject({ balance: 100, totalDeposits: 100, version: 2, lastTransactionAt: isoAt(2) });
  });

  it('does not change the row it is given (evolve is pure)', () => {
    const row = deepFreeze(fold([at(1, opened(1_000))])!);
    const copy = structuredClone(row);
    accountBalancesView.evolve(
      row,
      at(2, { type: 'MoneyWithdrawn', data: { accountId, amount: 1, balance: 999 } }),
    );
    expect(row).toStrictEqual(copy);
  });
});
