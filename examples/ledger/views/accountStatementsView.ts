import { compositeKey } from '../../../src/index.js';
import type { ViewDefinition } from '../../../src/index.js';
import { ACCOUNT_EVENT_TYPES, type AccountEvent, balanceChange } from '../accounts/accountEvents.js';
import { recordName } from '../../../src/index.js';

/** One line of an account's statement: a movement of money and the balance after it. */
export interface StatementRow {
  readonly accountId: string;
  /** The account aggregate's version of the event: lines are in this order. */
  readonly sequence: number;
  readonly time: string;
  /** The event: AccountOpened, MoneyDeposited, MoneyWithdrawn, CheckWritten, TransferDebited, TransferCredited or TransferRefunded. */
  readonly type: string;
  /** Signed whole cents: positive money in, negative money out. */
  readonly amount: number;
  /** The running balance: the balance after this line. */
  readonly balance: number;
  readonly transferId: string | null;
  /** The other account of a transfer. */
  readonly counterpartyAccountId: string | null;
  readonly checkNumber: number | null;
}

/** Digits of the sequence in a line's key, so that the keys of an account sort in sequence order. */
const SEQUENCE_DIGITS = 12;

/**
 * The key of an account's statement line: the composite key of the account id and the zero-padded
 * sequence (`A-1\0000000000007`), so that the scan of one account's lines lists no other's, whatever
 * its id contains; the view's store is also its index by account (readSide.ts).
 */
export function statementKey(accountId: string, sequence: number): string {
  return compositeKey(accountId, String(sequence).padStart(SEQUENCE_DIGITS, '0'));
}

/**
 * account-statements: one row per movement of money, keyed `accountId \0 sequence` (statementKey), so
 * an account's lines are adjacent and in order (read them with `?accountId=`, page by page).
 * Events that move no money (declined transfers, the closing) have no line.
 */
export const accountStatementsView: ViewDefinition<StatementRow> = {
  name: 'account-statements',
  eventTypes: ACCOUNT_EVENT_TYPES.map((t) => recordName('accounts', t)),
  keyOf(viewEvent) {
    const event = { type: viewEvent.type, data: viewEvent.data } as AccountEvent;
    const moves = event.type === 'AccountOpened' || balanceChange(event) !== 0;
    return moves ? statementKey(viewEvent.aggregateId, viewEvent.sequence) : undefined;
  },
  evolve(_row, viewEvent) {
    const event = { type: viewEvent.type, data: viewEvent.data } as AccountEvent;
    const data = event.data as Partial<
      Record<'transferId' | 'toAccountId' | 'fromAccountId', string> &
        Record<'checkNumber' | 'balance', number>
    >;
    return {
      accountId: viewEvent.aggregateId,
      sequence: viewEvent.sequence,
      time: new Date(viewEvent.time).toISOString(),
      type: event.type,
      amount: balanceChange(event),
      balance: event.type === 'AccountOpened' ? event.data.initialDeposit : (data.balance ?? 0),
      transferId: data.transferId ?? null,
      counterpartyAccountId: data.toAccountId ?? data.fromAccountId ?? null,
      checkNumber: data.checkNumber ?? null,
    };
  },
};
