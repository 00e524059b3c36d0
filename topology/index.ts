import type { ProcessorSpec, StoreSpec, TopicSpec, TopologySpec } from '../src/topology/topologySpec.js';

/**
 * The reference domain's topology: stock, orders and invoices, their command handlers, the order
 * fulfilment saga and the invoicing policy. All domain topics share one partition count, so a key
 * lands on the same partition number in every topic (co-partitioning).
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
  description: `state, version and recent command ids of each ${domain} aggregate`,
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
];

const processors = [...commandHandlers, ...policies];

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
