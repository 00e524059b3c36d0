import { describe, expect, it } from 'vitest';
import type { AccountCommand } from '../accounts/accountCommands.js';
import { accountDecider } from '../accounts/accountDecider.js';
import {
  type AccountEvent,
  balanceChange,
  TRANSFER_DECLINE_REASONS,
  TRANSFER_OUTCOME_TYPES,
  type TransferDeclineReason,
} from '../accounts/accountEvents.js';
import type { AccountState } from '../accounts/accountState.js';
import { MAX_AMOUNT } from '../accounts/decideAccount.js';
import type { Decider } from '../../../src/index.js';
import type { RoutedCommand } from '../../routedCommand.js';
import { sagaSpecification } from '../../../src/testing/index.js';
import { SeededRandom } from '../../../src/testing/index.js';
import { transferDecider } from '../transfers/transferDecider.js';
import type { TransferRequested } from '../transfers/transferEvents.js';
import type { TransferState } from '../transfers/transferState.js';
import { moneyTransfer } from './moneyTransfer.js';
import type { MoneyTransferEvent } from './moneyTransferEvent.js';
import type { MoneyTransferState } from './moneyTransferState.js';

const { given } = sagaSpecification(moneyTransfer);

const transferId = 'T-1';
const from = 'A-1';
const to = 'A-2';
const amount = 2_500;
const transfer = { transferId, fromAccountId: from, toAccountId: to, amount };

const requested: MoneyTransferEvent = { type: 'TransferRequested', data: transfer };
const debited: MoneyTransferEvent = {
  type: 'TransferDebited',
  data: { accountId: from, transferId, toAccountId: to, amount, balance: 7_500 },
};
const debitDeclined = (reason: TransferDeclineReason): MoneyTransferEvent => ({
  type: 'TransferDebitDeclined',
  data: { accountId: from, transferId, toAccountId: to, amount, reason },
});
const credited: MoneyTransferEvent = {
  type: 'TransferCredited',
  data: { accountId: to, transferId, fromAccountId: from, amount, balance: 2_500 },
};
const creditDeclined = (reason: TransferDeclineReason): MoneyTransferEvent => ({
  type: 'TransferCreditDeclined',
  data: { accountId: to, transferId, fromAccountId: from, amount, reason },
});
const refunded: MoneyTransferEvent = {
  type: 'TransferRefunded',
  data: { accountId: from, transferId, toAccountId: to, amount, balance: 10_000 },
};

const debitTransfer: RoutedCommand = {
  domain: 'accounts',
  aggregateId: from,
  commandId: 'T-1:debit',
  command: { type: 'DebitTransfer', data: { accountId: from, transferId, toAccountId: to, amount } },
};
const creditTransfer: RoutedCommand = {
  domain: 'accounts',
  aggregateId: to,
  commandId: 'T-1:credit',
  command: { type: 'CreditTransfer', data: { accountId: to, transferId, fromAccountId: from, amount } },
};
const refundTransfer: RoutedCommand = {
  domain: 'accounts',
  aggregateId: from,
  commandId: 'T-1:refund',
  command: { type: 'RefundTransfer', data: { accountId: from, transferId, toAccountId: to, amount } },
};
const completeTransfer: RoutedCommand = {
  domain: 'transfers',
  aggregateId: transferId,
  commandId: 'T-1:complete',
  command: { type: 'CompleteTransfer', data: { transferId } },
};
const settleTransfer: RoutedCommand = {
  domain: 'accounts',
  aggregateId: from,
  commandId: 'T-1:settle',
  command: { type: 'SettleTransfer', data: { accountId: from, transferId } },
};
const failTransfer = (reason: TransferDeclineReason, refunded: boolean): RoutedCommand => ({
  domain: 'transfers',
  aggregateId: transferId,
  commandId: 'T-1:fail',
  command: { type: 'FailTransfer', data: { transferId, reason, refunded } },
});

/** The reasons a credit is declined for: never insufficient funds (money only comes in). */
const CREDIT_DECLINE_REASONS = TRANSFER_DECLINE_REASONS.filter((reason) => reason !== 'INSUFFICIENT_FUNDS');

/** The saga's state after the events, as the runtime folds them. */
const stateAfter = (events: readonly MoneyTransferEvent[]): MoneyTransferState =>
  events.reduce(
    (state, event) => moneyTransfer.react(state, event, { now: 0 }).state,
    moneyTransfer.initialState(),
  );

describe('money transfer saga', () => {
  it('keys its instances by transfer id, and hears the request and every transfer outcome', () => {
    expect(moneyTransfer.keyOf(requested)).toBe(transferId);
    expect(moneyTransfer.keyOf(credited)).toBe(transferId);
    expect(moneyTransfer.keyOf(debitDeclined('UNKNOWN_ACCOUNT'))).toBe(transferId);
    expect([...moneyTransfer.eventTypes]).toStrictEqual(['TransferRequested', ...TRANSFER_OUTCOME_TYPES]);
    expect(moneyTransfer.initialState()).toStrictEqual({
      phase: 'AWAITING_REQUEST',
      transfer: null,
      declined: null,
    });
  });

  describe('the happy path', () => {
    it('debits the source of a requested transfer', () => {
      const state = given([]).when(requested).then([debitTransfer]);
      expect(state).toStrictEqual({ phase: 'DEBITING', transfer, declined: null });
    });

    it('credits the target once the source is debited', () => {
      const state = given([requested]).when(debited).then([creditTransfer]);
      expect(state).toStrictEqual({ phase: 'CREDITING', transfer, declined: null });
    });

    it('completes the transfer once the target is credited, and settles it at the source', () => {
      const state = given([requested, debited]).when(credited).then([completeTransfer, settleTransfer]);
      expect(state).toStrictEqual({ phase: 'COMPLETED', transfer, declined: null });
    });
  });

  describe('a declined debit', () => {
    it('fails the transfer, nothing to refund, for every reason', () => {
      for (const reason of TRANSFER_DECLINE_REASONS) {
        const state = given([requested])
          .when(debitDeclined(reason))
          .then([failTransfer(reason, false)]);
        expect(state).toStrictEqual({ phase: 'FAILED', transfer, declined: reason });
      }
    });
  });

  describe('a declined credit', () => {
    it('refunds the source, for every reason a credit is declined', () => {
      for (const reason of CREDIT_DECLINE_REASONS) {
        const state = given([requested, debited]).when(creditDeclined(reason)).then([refundTransfer]);
        expect(state).toStrictEqual({ phase: 'REFUNDING', transfer, declined: reason });
      }
    });

    it('fails the transfer once refunded, with the credit’s reason', () => {
      for (const reason of CREDIT_DECLINE_REASONS) {
        const state = given([requested, debited, creditDeclined(reason)])
          .when(refunded)
          .then([failTransfer(reason, true)]);
        expect(state).toStrictEqual({ phase: 'FAILED', transfer, declined: reason });
      }
    });
  });

  describe('repeats and events out of phase', () => {
    const histories: Record<string, MoneyTransferEvent[]> = {
      DEBITING: [requested],
      CREDITING: [requested, debited],
      REFUNDING: [requested, debited, creditDeclined('ACCOUNT_CLOSED')],
      COMPLETED: [requested, debited, credited],
      'FAILED (debit declined)': [requested, debitDeclined('INSUFFICIENT_FUNDS')],
      'FAILED (refunded)': [requested, debited, creditDeclined('UNKNOWN_ACCOUNT'), refunded],
    };
    /** The events each phase waits for; every other event is a repeat or out of phase. */
    const expected: Record<string, readonly MoneyTransferEvent['type'][]> = {
      DEBITING: ['TransferDebited', 'TransferDebitDeclined'],
      CREDITING: ['TransferCredited', 'TransferCreditDeclined'],
      REFUNDING: ['TransferRefunded'],
      COMPLETED: [],
      'FAILED (debit declined)': [],
      'FAILED (refunded)': [],
    };
    const everyEvent = [
      requested,
      debited,
      debitDeclined('INSUFFICIENT_FUNDS'),
      credited,
      creditDeclined('ACCOUNT_CLOSED'),
      refunded,
    ];

    it('send nothing and change nothing, in every phase', () => {
      for (const [phase, history] of Object.entries(histories)) {
        const before = stateAfter(history);
        for (const event of everyEvent) {
          if (expected[phase]?.includes(event.type)) continue;
          expect(given(history).when(event).thenNothing(), `${phase}: ${event.type}`).toStrictEqual(before);
        }
      }
    });

    it('send nothing for a repeat of the event just heard', () => {
      for (const history of Object.values(histories)) {
        const last = history[history.length - 1]!;
        given(history).when(last).thenNothing();
      }
    });

    it('send nothing for outcomes of a transfer never heard of, which stays at the initial state', () => {
      for (const event of everyEvent.slice(1)) {
        expect(given([]).when(event).thenNothing()).toStrictEqual(moneyTransfer.initialState());
      }
    });
  });

  describe('command ids', () => {
    it('are the transfer id and the step, so reacting again to the same events sends the same ids', () => {
      const ids = (events: readonly MoneyTransferEvent[]) => {
        let state = moneyTransfer.initialState();
        const sent: string[] = [];
        for (const event of events) {
          const reaction = moneyTransfer.react(state, event, { now: Math.random() });
          sent.push(...reaction.commands.map((command) => command.commandId));
          state = reaction.state;
        }
        return sent;
      };
      const happy = [requested, debited, credited];
      const refundedPath = [requested, debited, creditDeclined('ACCOUNT_CLOSED'), refunded];
      expect(ids(happy)).toStrictEqual(['T-1:debit', 'T-1:credit', 'T-1:complete', 'T-1:settle']);
      expect(ids(happy)).toStrictEqual(ids(happy));
      expect(ids(refundedPath)).toStrictEqual(['T-1:debit', 'T-1:credit', 'T-1:refund', 'T-1:fail']);
      expect(ids([requested, debitDeclined('UNKNOWN_ACCOUNT')])).toStrictEqual(['T-1:debit', 'T-1:fail']);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// The saga run with the real deciders, in memory.

type Message =
  | { readonly to: 'handler'; readonly routed: RoutedCommand }
  | { readonly to: 'saga'; readonly event: MoneyTransferEvent };

type AnyDecider = Decider<{ type: string }, { type: string }, unknown>;
const DECIDERS: Partial<Record<RoutedCommand['domain'], AnyDecider>> = {
  accounts: accountDecider as unknown as AnyDecider,
  transfers: transferDecider as unknown as AnyDecider,
};
const OUTCOMES: readonly string[] = TRANSFER_OUTCOME_TYPES;

/**
 * The accounts, the transfers and the saga in memory, with what Kafka guarantees and what it does
 * not: one channel (a key on a topic) delivers in order, channels interleave at random, and a
 * message may be delivered again. The command handlers drop a command id they have seen.
 */
class Ledger {
  readonly states = new Map<string, unknown>();
  readonly sagas = new Map<string, MoneyTransferState>();
  readonly events: { domain: RoutedCommand['domain']; aggregateId: string; event: { type: string } }[] = [];
  readonly rejections: { commandId: string; code: string }[] = [];
  private readonly channels = new Map<string, Message[]>();
  private readonly seen = new Map<string, Set<string>>();

  constructor(
    private readonly random: SeededRandom,
    private readonly duplicateRate: number,
  ) {}

  send(routed: RoutedCommand, channel = `${routed.domain}.commands/${routed.aggregateId}`): void {
    this.push(channel, { to: 'handler', routed });
  }

  account(accountId: string): AccountState {
    return (this.states.get(`accounts/${accountId}`) as AccountState | undefined) ?? { status: 'NONE' };
  }

  transfer(id: string): TransferState {
    return (this.states.get(`transfers/${id}`) as TransferState | undefined) ?? { status: 'NONE' };
  }

  /** The events of an account, in the order appended. */
  accountEvents(accountId: string): AccountEvent[] {
    return this.events
      .filter((e) => e.domain === 'accounts' && e.aggregateId === accountId)
      .map((e) => e.event as AccountEvent);
  }

  run(limit = 100_000): void {
    for (let delivered = 0; ; delivered++) {
      const busy = [...this.channels.values()].filter((queue) => queue.length > 0);
      if (busy.length === 0) return;
      if (delivered > limit) throw new Error('the ledger does not settle');
      const queue = this.random.pick(busy);
      const message = this.random.next() < this.duplicateRate ? queue[0] : queue.shift();
      if (message?.to === 'handler') this.handle(message.routed);
      else if (message) this.react(message.event);
    }
  }

  private push(channel: string, message: Message): void {
    const queue = this.channels.get(channel) ?? [];
    queue.push(message);
    this.channels.set(channel, queue);
  }

  private handle({ domain, aggregateId, commandId, command }: RoutedCommand): void {
    const key = `${domain}/${aggregateId}`;
    const seen = this.seen.get(key) ?? new Set<string>();
    this.seen.set(key, seen);
    if (seen.has(commandId)) return;
    seen.add(commandId);
    const decider = DECIDERS[domain];
    if (!decider) throw new Error(`no ${domain} in the ledger`);
    const state = this.states.get(key) ?? decider.initialState();
    const decision = decider.decide(command, state, { now: 0 });
    if (decision.kind === 'rejected') {
      this.rejections.push({ commandId, code: decision.code });
      return;
    }
    this.states.set(key, decision.events.reduce(decider.evolve, state));
    for (const event of decision.events) {
      this.events.push({ domain, aggregateId, event });
      if (event.type === 'TransferRequested') {
        this.push(`transfers.events/${aggregateId}`, { to: 'saga', event: event as TransferRequested });
      }
      if (OUTCOMES.includes(event.type)) {
        // re-keyed by transfer id, in the order of the account's events
        const outcome = event as MoneyTransferEvent;
        this.push(`accounts.events/${aggregateId}/${outcome.data.transferId}`, {
          to: 'saga',
          event: outcome,
        });
      }
    }
  }

  private react(event: MoneyTransferEvent): void {
    const key = moneyTransfer.keyOf(event);
    const reaction = moneyTransfer.react(this.sagas.get(key) ?? moneyTransfer.initialState(), event, {
      now: 0,
    });
    this.sagas.set(key, reaction.state);
    for (const routed of reaction.commands) this.send(routed);
  }
}

interface OpeningAccount {
  readonly accountId: string;
  readonly initialDeposit: number;
  readonly overdraftLimit: number;
}

const open = (ledger: Ledger, { accountId, initialDeposit, overdraftLimit }: OpeningAccount) =>
  ledger.send({
    domain: 'accounts',
    aggregateId: accountId,
    commandId: `setup/open/${accountId}`,
    command: {
      type: 'OpenAccount',
      data: { accountId, ownerId: `U-${accountId}`, initialDeposit, overdraftLimit },
    },
  });
const closeAccount = (accountId: string, commandId: string): RoutedCommand => ({
  domain: 'accounts',
  aggregateId: accountId,
  commandId,
  command: { type: 'CloseAccount', data: { accountId } } satisfies AccountCommand,
});

function scenario(seed: number) {
  const random = new SeededRandom(seed);
  const ledger = new Ledger(random, 0.15);
  const accounts: OpeningAccount[] = [
    ...['A-0', 'A-1', 'A-2', 'A-3'].map((accountId) => ({
      accountId,
      initialDeposit: random.int(0, 5_000),
      overdraftLimit: random.pick([0, 0, 500, 2_000]),
    })),
    // credits to it overflow the largest amount an event carries. Only ever a target: a refund
    // is never declined, so one to an account that credits filled up meanwhile would take its
    // balance beyond MAX_AMOUNT (a known limit of the ledger, not what this simulation checks).
    { accountId: 'A-RICH', initialDeposit: MAX_AMOUNT - random.int(0, 3_000), overdraftLimit: 0 },
    // closed before any transfer
    { accountId: 'A-CLOSED', initialDeposit: 0, overdraftLimit: 0 },
  ];
  for (const account of accounts) open(ledger, account);
  ledger.send(closeAccount('A-CLOSED', 'setup/close/A-CLOSED'));
  ledger.run();
  const candidates = [...accounts.map((a) => a.accountId), 'A-NEVER']; // A-NEVER is never opened
  const transfers: { transferId: string; fromAccountId: string; toAccountId: string; amount: number }[] = [];
  for (let n = 0; n < 12; n++) {
    const fromAccountId = random.pick(candidates.filter((id) => id !== 'A-RICH'));
    const toAccountId = random.pick(candidates.filter((id) => id !== fromAccountId));
    const request = { transferId: `T-${n}`, fromAccountId, toAccountId, amount: random.int(1, 3_000) };
    transfers.push(request);
    const routed: RoutedCommand = {
      domain: 'transfers',
      aggregateId: request.transferId,
      commandId: `client/request/${request.transferId}`,
      command: { type: 'RequestTransfer', data: request },
    };
    ledger.send(routed);
    // a client that retries with a new command id, at some random moment
    if (random.next() < 0.3) ledger.send({ ...routed, commandId: `${routed.commandId}/retry` }, `retry/${n}`);
  }
  // account holders who try to close their accounts at random moments
  for (const { accountId } of accounts.slice(0, 4)) {
    if (random.next() < 0.3)
      ledger.send(closeAccount(accountId, `client/close/${accountId}`), `holder/${accountId}`);
  }
  ledger.run();
  return { ledger, accounts, transfers };
}

describe('money transfers, simulated with the account and transfer deciders, reordering and redelivery', () => {
  it('conserve money, keep every account within its overdraft, and settle every transfer once', () => {
    const outcomes = new Set<string>();
    for (let seed = 1; seed <= 300; seed++) {
      const { ledger, accounts, transfers } = scenario(seed);
      const where = `seed ${seed}`;

      // money is conserved: what the accounts hold is what was deposited when they were opened
      let total = 0n;
      for (const { accountId, initialDeposit, overdraftLimit } of accounts) {
        let balance = 0;
        for (const event of ledger.accountEvents(accountId)) {
          balance += balanceChange(event);
          // no account ever goes below its overdraft, and every event carries the balance after it
          expect(balance, `${where}: ${accountId} after ${event.type}`).toBeGreaterThanOrEqual(
            -overdraftLimit,
          );
          if ('balance' in event.data) expect(event.data.balance, `${where}: ${accountId}`).toBe(balance);
        }
        expect(balance, `${where}: ${accountId}`).toBeLessThanOrEqual(MAX_AMOUNT);
        expect(ledger.account(accountId), `${where}: ${accountId}`).toMatchObject({ balance });
        total += BigInt(balance) - BigInt(initialDeposit);
      }
      expect(total, `${where}: money created or lost`).toBe(0n);
      expect(
        ledger.accountEvents('A-NEVER').every((event) => balanceChange(event) === 0),
        where,
      ).toBe(true);
      expect(ledger.account('A-NEVER'), where).toStrictEqual({ status: 'NONE' });

      for (const { transferId, fromAccountId, toAccountId } of transfers) {
        const state = ledger.transfer(transferId);
        const saga = ledger.sagas.get(transferId);
        const count = (domain: string, accountId: string, type: string) =>
          ledger.events.filter(
            (e) =>
              e.domain === domain &&
              e.aggregateId === accountId &&
              e.event.type === type &&
              (e.event as AccountEvent & { data: { transferId: string } }).data.transferId === transferId,
          ).length;
        const steps = {
          debited: count('accounts', fromAccountId, 'TransferDebited'),
          debitDeclined: count('accounts', fromAccountId, 'TransferDebitDeclined'),
          credited: count('accounts', toAccountId, 'TransferCredited'),
          creditDeclined: count('accounts', toAccountId, 'TransferCreditDeclined'),
          refunded: count('accounts', fromAccountId, 'TransferRefunded'),
        };
        const at = `${where}: ${transferId} ${JSON.stringify(steps)}`;
        // each transfer ends COMPLETED or FAILED, as its saga sees it too
        if (state.status !== 'COMPLETED' && state.status !== 'FAILED')
          throw new Error(`${at} is ${state.status}`);
        expect(saga?.phase, at).toBe(state.status);
        expect(
          ledger.events.filter((e) => e.domain === 'transfers' && e.aggregateId === transferId),
          at,
        ).toHaveLength(2);
        if (state.status === 'COMPLETED') {
          expect(steps, at).toStrictEqual({
            debited: 1,
            debitDeclined: 0,
            credited: 1,
            creditDeclined: 0,
            refunded: 0,
          });
          outcomes.add('COMPLETED');
        } else if (state.failure?.refunded) {
          // a failed transfer that was debited was refunded, exactly once
          expect(steps, at).toStrictEqual({
            debited: 1,
            debitDeclined: 0,
            credited: 0,
            creditDeclined: 1,
            refunded: 1,
          });
          outcomes.add(`FAILED refunded ${state.failure.reason}`);
        } else {
          expect(steps, at).toStrictEqual({
            debited: 0,
            debitDeclined: 1,
            credited: 0,
            creditDeclined: 0,
            refunded: 0,
          });
          outcomes.add(`FAILED ${state.failure?.reason}`);
        }
      }

      // the saga's commands are never refused: only the holders' closings are
      for (const { commandId, code } of ledger.rejections) {
        expect(`${commandId} ${code}`, where).toMatch(
          /^client\/close\/A-\d (BALANCE_NOT_ZERO|ACCOUNT_CLOSED)$/,
        );
      }
    }
    // the scenarios reach every outcome and every reason
    expect([...outcomes].sort()).toStrictEqual(
      [
        'COMPLETED',
        'FAILED ACCOUNT_CLOSED',
        'FAILED INSUFFICIENT_FUNDS',
        'FAILED UNKNOWN_ACCOUNT',
        'FAILED refunded ACCOUNT_CLOSED',
        'FAILED refunded INVALID_AMOUNT',
        'FAILED refunded UNKNOWN_ACCOUNT',
      ].sort(),
    );
  });
});
