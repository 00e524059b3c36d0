import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anySequence, checkKeyScheme } from '../../../src/state/testing/compositeKeyProperties.js';
import { indexRange } from '../../../src/views/indexProcessor.js';
import type { ViewEvent } from '../../../src/index.js';
import type { AccountCommand } from '../accounts/accountCommands.js';
import { accountDecider } from '../accounts/accountDecider.js';
import { ACCOUNT_EVENT_TYPES, type AccountEvent } from '../accounts/accountEvents.js';
import type { AccountState } from '../accounts/accountState.js';
import { deepFreeze } from '../../../src/testing/index.js';
import { SeededRandom } from '../../../src/testing/index.js';
import { accountStatementsView, type StatementRow, statementKey } from './accountStatementsView.js';

const T0 = Date.UTC(2025, 0, 15, 9, 30);
const accountId = 'A-1';
const transfer = { accountId, transferId: 'T-1' };

/** An event of an account as the view reads it: version `sequence`, `sequence` minutes after T0. */
const at = (sequence: number, event: AccountEvent, aggregateId = accountId): ViewEvent =>
  deepFreeze({
    domain: 'accounts',
    type: event.type,
    aggregateId,
    sequence,
    time: T0 + sequence * 60_000,
    data: event.data,
  });

const isoAt = (sequence: number) => new Date(T0 + sequence * 60_000).toISOString();

const opened = (initialDeposit: number): AccountEvent => ({
  type: 'AccountOpened',
  data: { accountId, ownerId: 'U-1', initialDeposit, overdraftLimit: 500 },
});

/** The line an event makes: its row, at its key. */
const line = (event: ViewEvent) => {
  const key = accountStatementsView.keyOf!(event);
  return { key, row: key === undefined ? undefined : accountStatementsView.evolve(undefined, event) };
};

describe('account statements view', () => {
  it('reads every account event type, every row visible', () => {
    expect([...accountStatementsView.eventTypes].sort()).toStrictEqual(
      ACCOUNT_EVENT_TYPES.map((type) => `kes.accounts.${type}`).sort(),
    );
    expect(accountStatementsView.name).toBe('account-statements');
    expect(accountStatementsView.isVisible).toBeUndefined();
  });

  describe('keys', () => {
    it('are the account id, NUL, and the sequence zero-padded to 12 digits', () => {
      expect(statementKey('A-1', 7)).toBe('A-1\u0000000000000007');
      expect(accountStatementsView.keyOf!(at(42, opened(100)))).toBe(statementKey(accountId, 42));
    });

    it('sort an account’s lines by sequence, and keep each account’s lines together', () => {
      const keys = [
        statementKey('A-1', 100),
        statementKey('A-10', 1),
        statementKey('A-1', 2),
        statementKey('A-2', 5),
        statementKey('A-1', 10),
        statementKey('A-1', 999_999_999_999),
      ];
      expect([...keys].sort()).toStrictEqual([
        statementKey('A-1', 2),
        statementKey('A-1', 10),
        statementKey('A-1', 100),
        statementKey('A-1', 999_999_999_999),
        statementKey('A-10', 1),
        statementKey('A-2', 5),
      ]);
      const ofA1 = keys.filter((key) => key.startsWith('A-1\u0000'));
      expect(ofA1).toHaveLength(4);
    });

    it('keep each account’s lines apart, whatever the ids: no collisions, in order, a scan of one account lists its own lines only', async () => {
      // The lines of an account are listed by its id as an index value (readSide.ts).
      await checkKeyScheme({
        name: 'statementKey',
        key: ([id, sequence]) => statementKey(id, Number(sequence)),
        scan: indexRange,
        rest: () => fc.tuple(anySequence),
      });
    });

    it('are none for events that move no money: declined transfers and the closing', () => {
      const declined: AccountEvent[] = [
        {
          type: 'TransferDebitDeclined',
          data: { ...transfer, toAccountId: 'A-2', amount: 5, reason: 'INSUFFICIENT_FUNDS' },
        },
        {
          type: 'TransferCreditDeclined',
          data: { ...transfer, fromAccountId: 'A-2', amount: 5, reason: 'ACCOUNT_CLOSED' },
        },
        { type: 'AccountClosed', data: { accountId } },
      ];
      for (const event of declined)
        expect(accountStatementsView.keyOf!(at(3, event)), event.type).toBeUndefined();
    });

    it('are there for an opening, even of 0 cents', () => {
      expect(line(at(1, opened(0)))).toStrictEqual({
        key: statementKey(accountId, 1),
        row: {
          accountId,
          sequence: 1,
          time: isoAt(1),
          type: 'AccountOpened',
          amount: 0,
          balance: 0,
          transferId: null,
          counterpartyAccountId: null,
          checkNumber: null,
        },
      });
    });
  });

  describe('lines', () => {
    const row = (sequence: number, event: AccountEvent) => line(at(sequence, event)).row;
    const base = (sequence: number) => ({ accountId, sequence, time: isoAt(sequence) });
    const none = { transferId: null, counterpartyAccountId: null, checkNumber: null };

    it('show the opening deposit as money in', () => {
      expect(row(1, opened(10_000))).toStrictEqual({
        ...base(1),
        type: 'AccountOpened',
        amount: 10_000,
        balance: 10_000,
        ...none,
      });
    });

    it('show deposits in and withdrawals out, signed, with the balance after them', () => {
      expect(
        row(2, { type: 'MoneyDeposited', data: { accountId, amount: 500, balance: 10_500 } }),
      ).toStrictEqual({
        ...base(2),
        type: 'MoneyDeposited',
        amount: 500,
        balance: 10_500,
        ...none,
      });
      expect(
        row(3, { type: 'MoneyWithdrawn', data: { accountId, amount: 700, balance: 9_800 } }),
      ).toStrictEqual({
        ...base(3),
        type: 'MoneyWithdrawn',
        amount: -700,
        balance: 9_800,
        ...none,
      });
    });

    it('show a check with its number', () => {
      expect(
        row(4, { type: 'CheckWritten', data: { accountId, checkNumber: 101, amount: 800, balance: 9_000 } }),
      ).toStrictEqual({
        ...base(4),
        type: 'CheckWritten',
        amount: -800,
        balance: 9_000,
        transferId: null,
        counterpartyAccountId: null,
        checkNumber: 101,
      });
    });

    it('show a transfer with its id and the other account', () => {
      expect(
        row(5, {
          type: 'TransferDebited',
          data: { ...transfer, toAccountId: 'A-2', amount: 1_000, balance: 8_000 },
        }),
      ).toStrictEqual({
        ...base(5),
        type: 'TransferDebited',
        amount: -1_000,
        balance: 8_000,
        transferId: 'T-1',
        counterpartyAccountId: 'A-2',
        checkNumber: null,
      });
      expect(
        row(6, {
          type: 'TransferCredited',
          data: { ...transfer, fromAccountId: 'A-3', amount: 300, balance: 8_300 },
        }),
      ).toMatchObject({
        type: 'TransferCredited',
        amount: 300,
        transferId: 'T-1',
        counterpartyAccountId: 'A-3',
      });
      expect(
        row(7, {
          type: 'TransferRefunded',
          data: { ...transfer, toAccountId: 'A-2', amount: 1_000, balance: 9_300 },
        }),
      ).toMatchObject({
        type: 'TransferRefunded',
        amount: 1_000,
        transferId: 'T-1',
        counterpartyAccountId: 'A-2',
      });
    });

    it('are each their own row: the row a line replaces does not matter', () => {
      const event = at(2, { type: 'MoneyDeposited', data: { accountId, amount: 5, balance: 105 } });
      const earlier = deepFreeze(accountStatementsView.evolve(undefined, at(1, opened(100)))!);
      expect(accountStatementsView.evolve(earlier, event)).toStrictEqual(
        accountStatementsView.evolve(undefined, event),
      );
    });
  });

  it('keeps a running balance: each line’s balance is the one before plus its amount (the real decider, random)', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const random = new SeededRandom(seed);
      let state: AccountState = accountDecider.initialState();
      let sequence = 0;
      const lines = new Map<string, StatementRow>();
      const decide = (command: AccountCommand) => {
        const decision = accountDecider.decide(command, state, { now: T0 });
        if (decision.kind === 'rejected') return;
        for (const event of decision.events) {
          state = accountDecider.evolve(state, event);
          const viewEvent = at(++sequence, event);
          const key = accountStatementsView.keyOf!(viewEvent);
          if (key === undefined) continue;
          const row = accountStatementsView.evolve(lines.get(key), viewEvent);
          if (row) lines.set(key, row);
        }
      };
      decide({
        type: 'OpenAccount',
        data: { accountId, ownerId: 'U-1', initialDeposit: random.int(0, 1_000), overdraftLimit: 500 },
      });
      for (let n = 0; n < 30; n++) {
        const amount = random.int(1, 800);
        const transferId = `T-${n}`;
        decide(
          random.pick<AccountCommand>([
            { type: 'DepositMoney', data: { accountId, amount } },
            { type: 'WithdrawMoney', data: { accountId, amount } },
            { type: 'WriteCheck', data: { accountId, checkNumber: random.int(1, 20), amount } },
            { type: 'DebitTransfer', data: { accountId, transferId, toAccountId: 'A-2', amount } },
            { type: 'CreditTransfer', data: { accountId, transferId, fromAccountId: 'A-2', amount } },
            { type: 'RefundTransfer', data: { accountId, transferId, toAccountId: 'A-2', amount } },
          ]),
        );
      }
      const statement = [...lines.keys()].sort().map((key) => lines.get(key)!);
      const where = `seed ${seed}`;
      expect(statement[0]?.type, where).toBe('AccountOpened');
      expect(
        statement.map((l) => l.sequence),
        where,
      ).toStrictEqual([...statement.map((l) => l.sequence)].sort((a, b) => a - b));
      statement.forEach((l, i) => {
        const before = i === 0 ? 0 : statement[i - 1]!.balance;
        expect(l.balance, `${where}, line ${l.sequence}`).toBe(before + l.amount);
        if (i > 0) expect(l.amount, `${where}: a line moves money`).not.toBe(0);
      });
      expect(statement.at(-1)?.balance, where).toBe(state.status === 'NONE' ? undefined : state.balance);
    }
  });
});
