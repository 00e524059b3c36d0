import { partitionForKey } from '../processor/partitioner.js';
import type { TopologySpec } from '../topology/topologySpec.js';
import type { PartitionStores } from './partitionStores.js';
import { QueryError } from './queryError.js';

/** A saga of the application: its name, what its key is (`order id`), what it does. */
export interface SagaInfo {
  readonly name: string;
  readonly key: string;
  readonly description: string;
}

interface SagaSpec extends SagaInfo {
  readonly store: string;
  readonly partitions: number;
}

const SAGA_DESCRIPTION = /^saga: /;

/**
 * The sagas of the topology and the state of one instance: a saga is the policy whose store is
 * `<saga>-state` (sagaProcessor.ts), JSON by saga key, on the partition of the key among its
 * inputs' partitions (they are co-partitioned, and the key is the record key of each).
 */
export class SagaQueries {
  private readonly sagas: ReadonlyMap<string, SagaSpec>;

  constructor(
    private readonly options: { readonly stores: PartitionStores; readonly topology: TopologySpec },
  ) {
    const topics = new Map(options.topology.topics.map((t) => [t.name, t]));
    this.sagas = new Map(
      options.topology.processors.flatMap((p) => {
        const store = p.kind === 'policy' ? p.stores.find((s) => s.name === `${p.name}-state`) : undefined;
        if (!store) return [];
        const saga: SagaSpec = {
          name: p.name,
          key: topics.get(store.changelog)?.key ?? '',
          description: p.description.replace(SAGA_DESCRIPTION, ''),
          store: store.name,
          partitions: topics.get(p.inputs[0] ?? '')?.partitions ?? 1,
        };
        return [[p.name, saga] as const];
      }),
    );
  }

  list(): SagaInfo[] {
    return [...this.sagas.values()].map(({ name, key, description }) => ({ name, key, description }));
  }

  /** The saga's state for `key`; UNKNOWN_SAGA, or NOT_FOUND when it has none. */
  async state(name: string, key: string, deadline: number): Promise<unknown> {
    const saga = this.sagas.get(name);
    if (!saga) throw new QueryError('UNKNOWN_SAGA', `no saga named ${name}`, { saga: name });
    const target = {
      processor: saga.name,
      store: saga.store,
      partition: partitionForKey(key, saga.partitions),
    };
    const text = await this.options.stores.get(target, key, deadline);
    if (text === undefined)
      throw new QueryError('NOT_FOUND', `${name} has no state for ${key}`, { saga: name, key });
    return JSON.parse(text) as unknown;
  }
}
