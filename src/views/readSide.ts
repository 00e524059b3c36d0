import type { Processor } from '../processor/processor.js';
import type { Serde } from '../serde/serde.js';
import type { TopologySpec } from '../topology/topologySpec.js';
import type { ViewDefinition } from './viewEvent.js';

/**
 * How the API reads a view: the processor that materializes it (its tasks own the partitions)
 * and its store, plus for a view with an index, the index's query parameter, processor and store.
 */
export interface QueryableView {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly definition: ViewDefinition<any>;
  readonly processor: string;
  readonly store: string;
  /**
   * Rows by one value (`?<name>=`): index rows are keyed `indexKey(<value>, <row key>)` (a
   * composite key: one scan lists a value's rows, and no other value's) and live on the partition
   * of the value. Either a separate index fed through a repartition topic (orders-with-invoices by
   * customer), or the view's own processor and store when its row keys are already composite keys
   * that begin with the value, and the value is the source key (account-statements by account).
   */
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

/** The event history's processor and store (topology: `event-history`). */
export const EVENT_HISTORY = { processor: 'event-history', store: 'event-history' } as const;
