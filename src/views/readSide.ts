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
 * and its store, plus for a view with an index, the index's query parameter, processor and store.
 */
export interface QueryableView {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly definition: ViewDefinition<any>;
  readonly processor: string;
  readonly store: string;
  readonly index?: { readonly name: string; readonly processor: string; readonly store: string };
}

/**
 * A view the runtime can rebuild: its queryable parts under their generation-1 names, every
 * processor it consists of (all renamed together in a new generation), and how to build them.
 */
export interface ReadView extends QueryableView {
  readonly processors: readonly string[];
  /** The view's processors, with `rename` applied to every processor, store and internal topic name. */
  build(rename: (name: string) => string, serde: Serde, topology: TopologySpec): Processor[];
}

export const EVENT_HISTORY = { processor: 'event-history', store: 'event-history' } as const;

const BY_CUSTOMER = 'orders-with-invoices-by-customer.repartition';

/** The views of the reference domain, by name. */
export const referenceViews: ReadonlyMap<string, ReadView> = new Map(
  (
    [
      {
        definition: productsView,
        processor: 'products-view',
        store: 'products-view',
        processors: ['products-view'],
        build: (rename, serde) => [
          viewProcessor({
            name: rename('products-view'),
            store: rename('products-view'),
            view: productsView,
            serde,
          }),
        ],
      },
      {
        definition: ordersView,
        processor: 'orders-view',
        store: 'orders-view',
        processors: ['orders-view'],
        build: (rename, serde) => [
          viewProcessor({
            name: rename('orders-view'),
            store: rename('orders-view'),
            view: ordersView,
            serde,
          }),
        ],
      },
      {
        definition: ordersWithInvoicesView,
        processor: 'orders-with-invoices-view',
        store: 'orders-with-invoices-view',
        index: {
          name: 'customerId',
          processor: 'orders-with-invoices-by-customer',
          store: 'orders-with-invoices-by-customer',
        },
        processors: ['orders-with-invoices-view', 'orders-with-invoices-by-customer'],
        build: (rename, serde, topology) => {
          const partitions = topology.topics.find((t) => t.name === BY_CUSTOMER)?.partitions;
          if (partitions === undefined) throw new Error(`the topology lacks ${BY_CUSTOMER}`);
          return [
            viewProcessor({
              name: rename('orders-with-invoices-view'),
              store: rename('orders-with-invoices-view'),
              view: ordersWithInvoicesView,
              serde,
              forward: {
                topic: rename(BY_CUSTOMER),
                partitions,
                keyOf: (row) => row.customerId ?? undefined,
              },
            }),
            indexProcessor({
              name: rename('orders-with-invoices-by-customer'),
              store: rename('orders-with-invoices-by-customer'),
            }),
          ];
        },
      },
    ] satisfies ReadView[]
  ).map((v) => [v.definition.name, v]),
);

/** The read side's processors that are not rebuilt (re-keying shared by the views, the event history). */
export function sharedReadProcessors(serde: Serde): Processor[] {
  return [
    rekeyProcessor({
      name: 'invoices-by-order',
      serde,
      eventTypes: INVOICE_EVENT_TYPES.map((t) => recordName('invoices', t)),
      keyField: 'orderId',
      topic: 'invoices-by-order.repartition',
    }),
    eventHistory({ name: EVENT_HISTORY.processor, store: EVENT_HISTORY.store }),
  ];
}
