import type { ViewDefinition } from '../../../src/index.js';
import { ACCOUNT_EVENT_TYPES, type AccountEvent, balanceChange } from '../accounts/accountEvents.js';
import { recordName } from '../../../src/index.js';

/** An account's balance and what made it: money in and money out since it was opened. */
export interface AccountBalanceRow {
  readonly accountId: string;
  readonly ownerId: string;
  readonly status: 'OPEN' | 'CLOSED';
  /** Whole cents: `totalDeposits − totalWithdrawals`. */
  readonly balance: number;
  readonly overdraftLimit: number;
  /** Money in: the opening deposit, deposits, transfers received and refunds. */
  readonly totalDeposits: number;
  /** Money out: withdrawals, checks and transfers sent. */
  readonly totalWithdrawals: number;
  /** When money last moved (the opening counts), ISO time. */
  readonly lastTransactionAt: string;
  /** The account aggregate's version this row reflects. */
  readonly version: number;
}

/** account-balances: accountId → balance, totals, last transaction, version (from accounts events). */
export const accountBalancesView: ViewDefinition<AccountBalanceRow> = {
  name: 'account-balances',
  eventTypes: ACCOUNT_EVENT_TYPES.map((t) => recordName('accounts', t)),
  evolve(row, viewEvent) {
    const event = { type: viewEvent.type, data: viewEvent.data } as AccountEvent;
    const time = new Date(viewEvent.time).toISOString();
    if (event.type === 'AccountOpened') {
      const { accountId, ownerId, initialDeposit, overdraftLimit } = event.data;
      return {
        accountId,
        ownerId,
        status: 'OPEN',
        balance: initialDeposit,
        overdraftLimit,
        totalDeposits: initialDeposit,
        totalWithdrawals: 0,
        lastTransactionAt: time,
        version: viewEvent.sequence,
      };
    }
    // A transfer declined by an account never opened leaves no row.
    if (!row) return undefined;
    const change = balanceChange(event);
    return {
      ...row,
      status: event.type === 'AccountClosed' ? 'CLOSED' : row.status,
      balance: row.balance + change,
      totalDeposits: row.totalDeposits + Math.max(change, 0),
      totalWithdrawals: row.totalWithdrawals + Math.max(-change, 0),
      lastTransactionAt: change === 0 ? row.lastTransactionAt : time,
      version: viewEvent.sequence,
    };
  },
};
