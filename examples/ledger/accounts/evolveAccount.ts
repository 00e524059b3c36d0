import { type AccountEvent, balanceChange } from './accountEvents.js';
import { type AccountState, withCheck } from './accountState.js';

/**
 * Folds an account event into the state. The balance is recomputed from the amounts (the events'
 * `balance` is for readers). Events before AccountOpened leave the state as it is: a declined
 * debit or credit (UNKNOWN_ACCOUNT) is all decideAccount emits for an account that does not exist.
 */
export function evolveAccount(state: AccountState, event: AccountEvent): AccountState {
  if (event.type === 'AccountOpened') {
    const { accountId, ownerId, initialDeposit, overdraftLimit } = event.data;
    return {
      status: 'OPEN',
      accountId,
      ownerId,
      balance: initialDeposit,
      overdraftLimit,
      usedChecks: [],
      transfersInFlight: [],
    };
  }
  if (state.status === 'NONE') return state;
  const balance = state.balance + balanceChange(event);
  switch (event.type) {
    case 'AccountClosed':
      return { ...state, status: 'CLOSED' };
    case 'CheckWritten':
      return { ...state, balance, usedChecks: withCheck(state.usedChecks, event.data.checkNumber) };
    case 'TransferDebited':
      return { ...state, balance, transfersInFlight: [...state.transfersInFlight, event.data.transferId] };
    case 'TransferRefunded':
    case 'TransferSettled':
      return {
        ...state,
        balance,
        transfersInFlight: state.transfersInFlight.filter((id) => id !== event.data.transferId),
      };
    default:
      return balance === state.balance ? state : { ...state, balance };
  }
}
