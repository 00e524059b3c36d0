import { accept, type CommandContext, type Decision, reject } from '../../../src/index.js';
import type {
  AccountCommand,
  CreditTransfer,
  DebitTransfer,
  OpenAccount,
  RefundTransfer,
  SettleTransfer,
  WriteCheck,
} from './accountCommands.js';
import type { AccountEvent, TransferDeclineReason } from './accountEvents.js';
import type { AccountRejectionCode } from './accountRejections.js';
import { type Account, type AccountState, isCheckUsed } from './accountState.js';

type AccountDecision = Decision<AccountEvent>;

/**
 * The largest amount or balance in whole cents: 2^53 − 2, the largest an Avro long carries here
 * (avsc refuses to write ±(2^53 − 1)), so that every event the ledger decides can be encoded.
 */
export const MAX_AMOUNT = Number.MAX_SAFE_INTEGER - 1;

/** Whole cents from `min` up to MAX_AMOUNT. */
export function isAmount(value: number, min = 1): boolean {
  return Number.isSafeInteger(value) && value >= min && value <= MAX_AMOUNT;
}

/** Decides an account command against the account's state. Pure: the ledger needs no clock. */
export function decideAccount(
  command: AccountCommand,
  state: AccountState,
  _context: CommandContext,
): AccountDecision {
  switch (command.type) {
    case 'OpenAccount':
      return open(command, state);
    case 'DepositMoney':
      return whenOpen(state, command.data.accountId, (account) => deposit(account, command.data.amount));
    case 'WithdrawMoney':
      return whenOpen(state, command.data.accountId, (account) => {
        const { amount } = command.data;
        if (!isAmount(amount)) return invalidAmount(amount);
        if (!covers(account, amount)) return insufficientFunds(account, amount);
        return accept({
          type: 'MoneyWithdrawn',
          data: { accountId: account.accountId, amount, balance: account.balance - amount },
        });
      });
    case 'WriteCheck':
      return whenOpen(state, command.data.accountId, (account) => writeCheck(command, account));
    case 'CloseAccount':
      return whenOpen(state, command.data.accountId, close);
    case 'DebitTransfer':
      return debit(command, state);
    case 'CreditTransfer':
      return credit(command, state);
    case 'RefundTransfer':
      return refund(command, state);
    case 'SettleTransfer':
      return settle(command, state);
  }
}

const rejected = (code: AccountRejectionCode, message: string) => reject(code, message);

const unknownAccount = (accountId: string) =>
  rejected('UNKNOWN_ACCOUNT', `account ${accountId} does not exist`);

const invalidAmount = (amount: number) =>
  rejected('INVALID_AMOUNT', `${amount} is not an amount of at least 1 cent`);

const insufficientFunds = (account: Account, amount: number) =>
  rejected(
    'INSUFFICIENT_FUNDS',
    `account ${account.accountId} cannot pay ${amount} cents: balance ${account.balance}, overdraft limit ${account.overdraftLimit}`,
  );

/** Whether the balance and the overdraft limit cover taking `amount` out. */
const covers = (account: Account, amount: number) => account.balance - amount >= -account.overdraftLimit;

function whenOpen(
  state: AccountState,
  accountId: string,
  decide: (account: Account) => AccountDecision,
): AccountDecision {
  if (state.status === 'NONE') return unknownAccount(accountId);
  if (state.status === 'CLOSED') return rejected('ACCOUNT_CLOSED', `account ${accountId} is closed`);
  return decide(state);
}

function open({ data }: OpenAccount, state: AccountState): AccountDecision {
  const { accountId, ownerId, initialDeposit, overdraftLimit } = data;
  if (state.status !== 'NONE') {
    return rejected('ACCOUNT_ALREADY_EXISTS', `account ${accountId} already exists`);
  }
  if (accountId.trim() === '' || ownerId.trim() === '') {
    return rejected('INVALID_ACCOUNT', 'an account needs a non-empty id and owner');
  }
  if (!isAmount(initialDeposit, 0)) {
    return rejected('INVALID_AMOUNT', `${initialDeposit} is not an opening deposit of 0 cents or more`);
  }
  if (!isAmount(overdraftLimit, 0)) {
    return rejected('INVALID_AMOUNT', `${overdraftLimit} is not an overdraft limit of 0 cents or more`);
  }
  return accept({ type: 'AccountOpened', data: { accountId, ownerId, initialDeposit, overdraftLimit } });
}

function close(account: Account): AccountDecision {
  if (account.balance !== 0) {
    return rejected(
      'BALANCE_NOT_ZERO',
      `account ${account.accountId} has a balance of ${account.balance} cents`,
    );
  }
  if (account.transfersInFlight.length > 0) {
    return rejected(
      'TRANSFERS_IN_FLIGHT',
      `account ${account.accountId} has transfers not settled yet: ${account.transfersInFlight.join(', ')}`,
    );
  }
  return accept({ type: 'AccountClosed', data: { accountId: account.accountId } });
}

function deposit(account: Account, amount: number): AccountDecision {
  if (!isAmount(amount)) return invalidAmount(amount);
  if (!isAmount(account.balance + amount, -Infinity)) {
    return rejected('BALANCE_LIMIT_EXCEEDED', `account ${account.accountId} cannot hold more`);
  }
  return accept({
    type: 'MoneyDeposited',
    data: { accountId: account.accountId, amount, balance: account.balance + amount },
  });
}

function writeCheck({ data }: WriteCheck, account: Account): AccountDecision {
  const { checkNumber, amount } = data;
  if (!isAmount(amount)) return invalidAmount(amount);
  if (!isAmount(checkNumber)) {
    return rejected('INVALID_CHECK_NUMBER', `${checkNumber} is not a check number from 1`);
  }
  if (isCheckUsed(account.usedChecks, checkNumber)) {
    return rejected('CHECK_NUMBER_USED', `check ${checkNumber} of account ${account.accountId} was used`);
  }
  if (!covers(account, amount)) return insufficientFunds(account, amount);
  return accept({
    type: 'CheckWritten',
    data: { accountId: account.accountId, checkNumber, amount, balance: account.balance - amount },
  });
}

function unidentified(transferId: string, counterpart: string): AccountDecision | undefined {
  return transferId === '' || counterpart === ''
    ? rejected('INVALID_TRANSFER', 'a transfer command needs a transfer id and a counterpart account')
    : undefined;
}

/** The open account a transfer moves money on, or why it cannot take part. */
function participant(state: AccountState, amount: number): Account | TransferDeclineReason {
  if (state.status === 'NONE') return 'UNKNOWN_ACCOUNT';
  if (state.status === 'CLOSED') return 'ACCOUNT_CLOSED';
  if (!isAmount(amount)) return 'INVALID_AMOUNT';
  return state;
}

/** The saga waits for an answer: once identified, a debit is always answered with an event. */
function debit({ data }: DebitTransfer, state: AccountState): AccountDecision {
  const { accountId, transferId, toAccountId, amount } = data;
  const invalid = unidentified(transferId, toAccountId);
  if (invalid) return invalid;
  const declined = (reason: TransferDeclineReason) =>
    accept<AccountEvent>({
      type: 'TransferDebitDeclined',
      data: { accountId, transferId, toAccountId, amount, reason },
    });
  const account = participant(state, amount);
  if (typeof account === 'string') return declined(account);
  // The same transfer debited again while it is in flight: a repeat.
  if (account.transfersInFlight.includes(transferId)) return accept();
  if (!covers(account, amount)) return declined('INSUFFICIENT_FUNDS');
  return accept({
    type: 'TransferDebited',
    data: { accountId, transferId, toAccountId, amount, balance: account.balance - amount },
  });
}

/** Once identified, a credit is always answered: credited, or declined (the saga then refunds). */
function credit({ data }: CreditTransfer, state: AccountState): AccountDecision {
  const { accountId, transferId, fromAccountId, amount } = data;
  const invalid = unidentified(transferId, fromAccountId);
  if (invalid) return invalid;
  const declined = (reason: TransferDeclineReason) =>
    accept<AccountEvent>({
      type: 'TransferCreditDeclined',
      data: { accountId, transferId, fromAccountId, amount, reason },
    });
  const account = participant(state, amount);
  if (typeof account === 'string') return declined(account);
  // A balance past MAX_AMOUNT cents cannot be carried by an event.
  if (!isAmount(account.balance + amount, -Infinity)) return declined('INVALID_AMOUNT');
  return accept({
    type: 'TransferCredited',
    data: { accountId, transferId, fromAccountId, amount, balance: account.balance + amount },
  });
}

/**
 * A refund is never declined: the money goes back to the account it left, which is still open (an
 * account with a transfer in flight cannot be closed).
 */
function refund({ data }: RefundTransfer, state: AccountState): AccountDecision {
  const { accountId, transferId, toAccountId, amount } = data;
  const invalid = unidentified(transferId, toAccountId);
  if (invalid) return invalid;
  if (state.status === 'NONE') return unknownAccount(accountId);
  if (!isAmount(amount)) return invalidAmount(amount);
  return accept({
    type: 'TransferRefunded',
    data: { accountId, transferId, toAccountId, amount, balance: state.balance + amount },
  });
}

/** The source stops holding a transfer once its target was credited; nothing if it holds none. */
function settle({ data }: SettleTransfer, state: AccountState): AccountDecision {
  const { accountId, transferId } = data;
  if (transferId === '') return rejected('INVALID_TRANSFER', 'a transfer command needs a transfer id');
  if (state.status === 'NONE') return unknownAccount(accountId);
  if (!state.transfersInFlight.includes(transferId)) return accept();
  return accept({ type: 'TransferSettled', data: { accountId, transferId } });
}
