import type { ApplicationBuilder } from '../../src/index.js';
import { accountDecider } from './accounts/accountDecider.js';
import { TRANSFER_OUTCOME_TYPES } from './accounts/accountEvents.js';
import { ACCOUNT_REJECTIONS } from './accounts/accountRejections.js';
import { moneyTransfer } from './moneyTransfer/moneyTransfer.js';
import { transferDecider } from './transfers/transferDecider.js';
import { TRANSFER_REJECTIONS } from './transfers/transferRejections.js';
import { accountBalancesView } from './views/accountBalancesView.js';
import { accountStatementsView } from './views/accountStatementsView.js';

/**
 * The bank ledger: accounts and transfers; the money transfer saga debits the source, credits the
 * target and refunds the source when the credit is declined; balances and statements.
 */
export function addLedger(app: ApplicationBuilder): ApplicationBuilder {
  return app
    .aggregate(accountDecider, {
      key: 'account id',
      rejections: ACCOUNT_REJECTIONS,
      publicCommands: ['OpenAccount', 'DepositMoney', 'WithdrawMoney', 'WriteCheck', 'CloseAccount'],
    })
    .aggregate(transferDecider, {
      key: 'transfer id',
      rejections: TRANSFER_REJECTIONS,
      publicCommands: ['RequestTransfer'],
    })
    .saga(moneyTransfer, {
      key: 'transfer id',
      hears: ['transfers'],
      replies: {
        name: 'transfer-replies',
        domain: 'accounts',
        eventTypes: TRANSFER_OUTCOME_TYPES,
        keyField: 'transferId',
        key: 'transfer id',
        description: 'transfer answers re-keyed by transfer id',
      },
      sends: ['accounts', 'transfers'],
      state: 'per transfer: its phase, and what was debited, credited or refunded',
      description: 'debits the source, credits the target, refunds the source if the credit is declined',
    })
    .view(accountBalancesView, {
      rows: 'accountId → balance, totalDeposits, totalWithdrawals, lastTransactionAt, version',
      description: 'the balance of each account',
    })
    .view(accountStatementsView, {
      rows: 'accountId \\0 sequence → a movement and the running balance',
      description: "each account's movements of money with the running balance",
      // Statement lines are keyed `accountId \0 sequence`: the view's own store is its index by account.
      index: { field: 'accountId', own: true },
    });
}
