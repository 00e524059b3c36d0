import type { ApplicationContext, KesApplication } from '../src/app/kesApplication.js';
import { commandHandler } from '../src/commands/commandHandler.js';
import { TRANSFER_OUTCOME_TYPES } from '../examples/ledger/accounts/accountEvents.js';
import { deciders } from '../examples/domainCatalog.js';
import { recordName } from '../src/domain/domainRecord.js';
import { orderFulfilment } from '../examples/shop/fulfilment/orderFulfilment.js';
import { INVOICE_EVENT_TYPES } from '../examples/shop/invoices/invoiceEvents.js';
import { moneyTransfer } from '../examples/ledger/moneyTransfer/moneyTransfer.js';
import { accountBalancesView } from '../examples/ledger/views/accountBalancesView.js';
import { accountStatementsView } from '../examples/ledger/views/accountStatementsView.js';
import { ordersView } from '../examples/shop/views/ordersView.js';
import { ordersWithInvoicesView } from '../examples/shop/views/ordersWithInvoicesView.js';
import { productsView } from '../examples/shop/views/productsView.js';
import { invoicing } from '../examples/shop/invoicing/invoicingPolicy.js';
import { sagaProcessor } from '../src/policies/sagaProcessor.js';
import { stockReplies } from '../examples/shop/fulfilment/stockReplies.js';
import type { Processor } from '../src/processor/processor.js';
import { eventHistory } from '../src/views/eventHistory.js';
import { indexProcessor } from '../src/views/indexProcessor.js';
import { EVENT_HISTORY, type ReadView } from '../src/views/readSide.js';
import { rekeyProcessor } from '../src/views/rekeyProcessor.js';
import type { ViewDefinition } from '../src/views/viewEvent.js';
import { viewProcessor } from '../src/views/viewProcessor.js';
import { topology } from './index.js';

/**
 * The code behind the topology's processors (topology/index.ts declares them): the command
 * handler of every domain, the sagas and policies, the views. Adding a domain adds its lines here.
 */

/** A view materialized by one processor with its store, both named `<processor>`. */
function simpleView(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  definition: ViewDefinition<any>,
  processor: string,
  index?: string,
): ReadView {
  return {
    definition,
    processor,
    store: processor,
    ...(index !== undefined ? { index: { name: index, processor, store: processor } } : {}),
    processors: [processor],
    build: (rename, serde) => [
      viewProcessor({ name: rename(processor), store: rename(processor), view: definition, serde }),
    ],
  };
}

const BY_CUSTOMER = 'orders-with-invoices-by-customer.repartition';

const ordersWithInvoices: ReadView = {
  definition: ordersWithInvoicesView,
  processor: 'orders-with-invoices-view',
  store: 'orders-with-invoices-view',
  index: {
    name: 'customerId',
    processor: 'orders-with-invoices-by-customer',
    store: 'orders-with-invoices-by-customer',
  },
  processors: ['orders-with-invoices-view', 'orders-with-invoices-by-customer'],
  build: (rename, serde, spec) => {
    const partitions = spec.topics.find((t) => t.name === BY_CUSTOMER)?.partitions;
    if (partitions === undefined) throw new Error(`the topology lacks ${BY_CUSTOMER}`);
    return [
      viewProcessor({
        name: rename('orders-with-invoices-view'),
        store: rename('orders-with-invoices-view'),
        view: ordersWithInvoicesView,
        serde,
        forward: { topic: rename(BY_CUSTOMER), partitions, keyOf: (row) => row.customerId ?? undefined },
      }),
      indexProcessor({
        name: rename('orders-with-invoices-by-customer'),
        store: rename('orders-with-invoices-by-customer'),
      }),
    ];
  },
};

const views: readonly ReadView[] = [
  simpleView(productsView, 'products-view'),
  simpleView(ordersView, 'orders-view'),
  ordersWithInvoices,
  simpleView(accountBalancesView, 'account-balances-view'),
  // Statement lines are keyed `accountId \0 sequence`: the view's own store is its index by account.
  simpleView(accountStatementsView, 'account-statements-view', 'accountId'),
];

function processors({ serde, sender, invoiceBaseUrl, idempotency }: ApplicationContext): Processor[] {
  return [
    ...Object.values(deciders).map((decider) =>
      commandHandler({
        name: `${decider.domain}-commands`,
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        decider: decider as any,
        serde,
        idempotencyRetentionMs: idempotency.retentionMs,
        idempotencyMaxResults: idempotency.maxResults,
      }),
    ),
    // Orders: the fulfilment saga hears stock's answers re-keyed by order; invoicing.
    stockReplies(serde),
    sagaProcessor(orderFulfilment, { serde, sender }),
    invoicing({ serde, sender, invoiceBaseUrl }),
    rekeyProcessor({
      name: 'invoices-by-order',
      serde,
      eventTypes: INVOICE_EVENT_TYPES.map((t) => recordName('invoices', t)),
      keyField: 'orderId',
      topic: 'invoices-by-order.repartition',
    }),
    // Accounts: the money transfer saga hears the accounts' answers re-keyed by transfer.
    rekeyProcessor({
      name: 'transfer-replies',
      serde,
      eventTypes: TRANSFER_OUTCOME_TYPES.map((t) => recordName('accounts', t)),
      keyField: 'transferId',
      topic: 'money-transfers.repartition',
    }),
    sagaProcessor(moneyTransfer, { serde, sender }),
    eventHistory({ name: EVENT_HISTORY.processor, store: EVENT_HISTORY.store }),
  ];
}

/** The reference application: stock, orders and invoices; accounts and transfers. */
export const application: KesApplication = {
  topology,
  publicCommands: [
    'AddProduct',
    'IncreaseStock',
    'DecreaseStock',
    'PlaceOrder',
    'CancelOrder',
    'ShipOrder',
    'OpenAccount',
    'DepositMoney',
    'WithdrawMoney',
    'WriteCheck',
    'CloseAccount',
    'RequestTransfer',
  ],
  views: new Map(views.map((v) => [v.definition.name, v])),
  processors,
};
