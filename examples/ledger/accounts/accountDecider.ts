import type { Decider } from '../../../src/index.js';
import { ACCOUNT_COMMAND_TYPES, type AccountCommand } from './accountCommands.js';
import { ACCOUNT_EVENT_TYPES, type AccountEvent } from './accountEvents.js';
import { type AccountState, initialAccountState } from './accountState.js';
import { decideAccount } from './decideAccount.js';
import { evolveAccount } from './evolveAccount.js';

/** A bank account: the aggregate id is the account id. */
export const accountDecider: Decider<AccountCommand, AccountEvent, AccountState> = {
  domain: 'accounts',
  commandTypes: ACCOUNT_COMMAND_TYPES,
  eventTypes: ACCOUNT_EVENT_TYPES,
  initialState: initialAccountState,
  decide: decideAccount,
  evolve: evolveAccount,
  aggregateIdOf: (command) => command.data.accountId,
};
