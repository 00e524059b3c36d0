import type { ProcessorSpec, StoreSpec, TopicSpec, TopologySpec } from '../src/topology/topologySpec.js';

/**
 * The reference application's topology: stock, orders and invoices with the order fulfilment
 * saga and the invoicing policy; accounts and transfers with the money transfer saga; the views.
 * All domain topics share one partition count, so a key lands on the same partition number in
 * every topic (co-partitioning). topology/application.ts has the code of each processor.
 */
export const PARTITIONS = 6;
const REPLICATION = 3;
const DAY = 24 * 60 * 60 * 1000;

const topic = (
  name: string,
  key: string,
  description: string,
  extra: Partial<TopicSpec> = {},
): TopicSpec => ({
  name,
  partitions: PARTITIONS,
  key,
  cleanupPolicy: 'delete',
  configs: {},
  replicationFactor: REPLICATION,
  description,
  ...extra,
});

const DOMAINS = [
  { domain: 'stock', key: 'product id' },
  { domain: 'orders', key: 'order id' },
  { domain: 'invoices', key: 'invoice id' },
  { domain: 'accounts', key: 'account id' },
  { domain: 'transfers', key: 'transfer id' },
] as const;

const domainTopics = DOMAINS.flatMap(({ domain, key }) => [
  topic(`${domain}.commands`, key, `commands to ${domain} aggregates`, {
    configs: { 'retention.ms': String(7 * DAY) },
  }),
  topic(`${domain}.events`, key, `the ${domain} event store: every event, kept forever`, {
    configs: { 'retention.ms': '-1' },
  }),
  topic(
    `${domain}.aggregates`,
    key,
    `latest state of each ${domain} aggregate (snapshot and store changelog)`,
    {
      cleanupPolicy: 'compact',
    },
  ),
]);

const aggregateStore = (domain: string): StoreSpec => ({
  name: `${domain}-aggregates`,
  changelog: `${domain}.aggregates`,
  description: `snapshot (state, version) of each ${domain} aggregate, and its commands' results for 24 hours`,
});

const commandHandlers: ProcessorSpec[] = DOMAINS.map(({ domain }) => ({
  name: `${domain}-commands`,
  kind: 'command-handler',
  inputs: [`${domain}.commands`],
  stores: [aggregateStore(domain)],
  outputs: [`${domain}.events`, `${domain}.aggregates`, 'kes.command-results', `${domain}-commands.dlq`],
  description: `decides ${domain} events from commands, exactly once, one aggregate at a time`,
}));

const policies: ProcessorSpec[] = [
  {
    name: 'stock-replies',
    kind: 'repartition',
    inputs: ['stock.events'],
    stores: [],
    outputs: ['order-fulfilment.repartition', 'stock-replies.dlq'],
    description: 'forwards stock reservation outcomes re-keyed by order id, for the saga',
  },
  {
    name: 'order-fulfilment',
    kind: 'policy',
    inputs: ['orders.events', 'order-fulfilment.repartition'],
    stores: [
      {
        name: 'order-fulfilment-state',
        changelog: 'order-fulfilment.changelog',
        description: 'per order: the items to reserve, and which were reserved or refused',
      },
    ],
    outputs: ['stock.commands', 'orders.commands', 'order-fulfilment.changelog', 'order-fulfilment.dlq'],
    description: 'saga: reserves stock per item, then confirms the order or rejects it and releases',
  },
  {
    name: 'invoicing',
    kind: 'policy',
    inputs: ['orders.events'],
    stores: [],
    outputs: ['invoices.commands', 'invoicing.dlq'],
    description: 'issues an invoice for every confirmed order',
  },
  {
    name: 'transfer-replies',
    kind: 'repartition',
    inputs: ['accounts.events'],
    stores: [],
    outputs: ['money-transfers.repartition', 'transfer-replies.dlq'],
    description: 'forwards the answers to transfer debits, credits and refunds re-keyed by transfer id',
  },
  {
    name: 'money-transfers',
    kind: 'policy',
    inputs: ['transfers.events', 'money-transfers.repartition'],
    stores: [
      {
        name: 'money-transfers-state',
        changelog: 'money-transfers.changelog',
        description: 'per transfer: its accounts and amount, and which step it is at',
      },
    ],
    outputs: ['accounts.commands', 'transfers.commands', 'money-transfers.changelog', 'money-transfers.dlq'],
    description: 'saga: debits the source, credits the target, refunds the source if the credit is declined',
  },
];

const changelog = (name: string, key: string, description: string): TopicSpec =>
  topic(name, key, description, { cleanupPolicy: 'compact' });

const viewStore = (name: string, description: string): StoreSpec => ({
  name,
  changelog: `${name}.changelog`,
  description,
});

/** The read side: views of the domain, their index by customer, and the event history. */
const readSide: ProcessorSpec[] = [
  {
    name: 'invoices-by-order',
    kind: 'repartition',
    inputs: ['invoices.events'],
    stores: [],
    outputs: ['invoices-by-order.repartition', 'invoices-by-order.dlq'],
    description: 'forwards invoice events re-keyed by order id, for the order views',
  },
  {
    name: 'products-view',
    kind: 'view',
    inputs: ['stock.events'],
    stores: [viewStore('products-view', 'productId → name, available, reserved, version')],
    outputs: ['products-view.changelog', 'products-view.dlq'],
    description: 'view products: stock per product',
  },
  {
    name: 'orders-view',
    kind: 'view',
    inputs: ['orders.events', 'invoices-by-order.repartition'],
    stores: [viewStore('orders-view', 'orderId → status, customer, items, total, invoice, shipping')],
    outputs: ['orders-view.changelog', 'orders-view.dlq'],
    description: 'view orders: each order with its invoice and shipping',
  },
  {
    name: 'orders-with-invoices-view',
    kind: 'view',
    inputs: ['orders.events', 'invoices-by-order.repartition'],
    stores: [viewStore('orders-with-invoices-view', 'orderId → customer, createdAt, invoiceUrl, status')],
    outputs: [
      'orders-with-invoices-view.changelog',
      'orders-with-invoices-by-customer.repartition',
      'orders-with-invoices-view.dlq',
    ],
    description: 'view orders-with-invoices: the join of orders and invoices; forwards rows by customer',
  },
  {
    name: 'orders-with-invoices-by-customer',
    kind: 'view',
    inputs: ['orders-with-invoices-by-customer.repartition'],
    stores: [
      viewStore('orders-with-invoices-by-customer', 'customerId \\0 orderId → the orders-with-invoices row'),
    ],
    outputs: ['orders-with-invoices-by-customer.changelog', 'orders-with-invoices-by-customer.dlq'],
    description: 'index of orders-with-invoices by customer',
  },
  {
    name: 'account-balances-view',
    kind: 'view',
    inputs: ['accounts.events'],
    stores: [
      viewStore(
        'account-balances-view',
        'accountId → balance, totalDeposits, totalWithdrawals, lastTransactionAt, version',
      ),
    ],
    outputs: ['account-balances-view.changelog', 'account-balances-view.dlq'],
    description: 'view account-balances: the balance of each account',
  },
  {
    name: 'account-statements-view',
    kind: 'view',
    inputs: ['accounts.events'],
    stores: [
      viewStore('account-statements-view', 'accountId \\0 sequence → a movement and the running balance'),
    ],
    outputs: ['account-statements-view.changelog', 'account-statements-view.dlq'],
    description: "view account-statements: each account's movements of money with the running balance",
  },
  {
    name: 'event-history',
    kind: 'view',
    inputs: DOMAINS.map(({ domain }) => `${domain}.events`),
    stores: [viewStore('event-history', 'domain/aggregateId \\0 version → the event record (audit)')],
    outputs: ['event-history.changelog', 'event-history.dlq'],
    description: 'the event history of every aggregate, for audit and temporal queries',
  },
];

const processors = [...commandHandlers, ...policies, ...readSide];

export const topology: TopologySpec = {
  applicationId: 'kes',
  topics: [
    ...domainTopics,
    topic('kes.command-results', 'command id', 'the outcome of every command', {
      configs: { 'retention.ms': String(DAY) },
    }),
    topic('order-fulfilment.repartition', 'order id', 'stock reservation outcomes re-keyed by order id', {
      configs: { 'retention.ms': String(7 * DAY) },
    }),
    topic('order-fulfilment.changelog', 'order id', 'changelog of the saga state store', {
      cleanupPolicy: 'compact',
    }),
    topic(
      'kes.views',
      'view name',
      'which generation of each view serves queries, and which is being built',
      {
        partitions: 1,
        cleanupPolicy: 'compact',
      },
    ),
    topic('invoices-by-order.repartition', 'order id', 'invoice events re-keyed by order id', {
      configs: { 'retention.ms': '-1' },
    }),
    topic(
      'orders-with-invoices-by-customer.repartition',
      'customer id',
      'orders-with-invoices rows re-keyed by customer id',
      { configs: { 'retention.ms': String(7 * DAY) } },
    ),
    topic('money-transfers.repartition', 'transfer id', 'transfer answers re-keyed by transfer id', {
      configs: { 'retention.ms': String(7 * DAY) },
    }),
    topic('money-transfers.changelog', 'transfer id', 'changelog of the money transfer saga state store', {
      cleanupPolicy: 'compact',
    }),
    ...readSide
      .filter((p) => p.stores.length > 0)
      .map((p) => changelog(p.stores[0]!.changelog, 'the store key', `changelog of the ${p.name} store`)),
    ...processors.map((p) =>
      topic(
        `${p.name}.dlq`,
        'the input record key',
        `records ${p.name} could not process, with error headers`,
        {
          configs: { 'retention.ms': String(14 * DAY) },
        },
      ),
    ),
  ],
  processors,
};
