import { recordName } from '../domain/domainRecord.js';
import { INVOICE_EVENT_TYPES } from '../domain/invoices/invoiceEvents.js';
import { ordersView } from '../domain/views/ordersView.js';
import { ordersWithInvoicesView } from '../domain/views/ordersWithInvoicesView.js';
import { productsView } from '../domain/views/productsView.js';
import type { Processor } from '../processor/processor.js';
import type { Serde } from '../serde/serde.js';
import type { TopologySpec } from '../topology/topologySpec.js';
import { eventHistory } from './eventHistory.js';
import { indexProcessor } from './indexProcessor.js';
import { rekeyProcessor } from './rekeyProcessor.js';
import type { ViewDefinition } from './viewEvent.js';
import { viewProcessor } from './viewProcessor.js';

/**
 * How the API reads a view: the processor that materializes it (its tasks own the partitions)
 * and its store, plus for a view with an index, the index's processor and store.
 */
export interface QueryableView {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly definition: ViewDefinition<any>;
  readonly processor: string;
  readonly store: string;
  readonly index?: { readonly name: string; readonly processor: string; readonly store: string };
}

export const EVENT_HISTORY = { processor: 'event-history', store: 'event-history' } as const;

/** The views of the reference domain, by name. */
export const referenceViews: ReadonlyMap<string, QueryableView> = new Map(
  [
    { definition: productsView, processor: 'products-view', store: 'products-view' },
    { definition: ordersView, processor: 'orders-view', store: 'orders-view' },
    {
      definition: ordersWithInvoicesView,
      processor: 'orders-with-invoices-view',
      store: 'orders-with-invoices-view',
      index: {
        name: 'customerId',
        processor: 'orders-with-invoices-by-customer',
        store: 'orders-with-invoices-by-customer',
      },
    },
  ].map((v) => [v.definition.name, v]),
);

/** The read side's processors (views, index, repartitioning, event history). */
export function readSideProcessors(serde: Serde, topology: TopologySpec): Processor[] {
  const byCustomer = 'orders-with-invoices-by-customer.repartition';
  const partitions = topology.topics.find((t) => t.name === byCustomer)?.partitions;
  if (partitions === undefined) throw new Error(`the topology lacks ${byCustomer}`);
  return [
    rekeyProcessor({
      name: 'invoices-by-order',
      serde,
      eventTypes: INVOICE_EVENT_TYPES.map((t) => recordName('invoices', t)),
      keyField: 'orderId',
      topic: 'invoices-by-order.repartition',
    }),
    viewProcessor({ name: 'products-view', store: 'products-view', view: productsView, serde }),
    viewProcessor({ name: 'orders-view', store: 'orders-view', view: ordersView, serde }),
    viewProcessor({
      name: 'orders-with-invoices-view',
      store: 'orders-with-invoices-view',
      view: ordersWithInvoicesView,
      serde,
      forward: {
        topic: byCustomer,
        partitions,
        keyOf: (row) => row.customerId ?? undefined,
      },
    }),
    indexProcessor({ name: 'orders-with-invoices-by-customer', store: 'orders-with-invoices-by-customer' }),
    eventHistory({ name: EVENT_HISTORY.processor, store: EVENT_HISTORY.store }),
  ];
}
