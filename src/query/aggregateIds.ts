import type { TopologySpec } from '../topology/topologySpec.js';
import { compositeRange, decodeCompositeKey } from '../state/compositeKey.js';
import { domainRange } from '../views/eventHistory.js';
import type { PartitionStores } from './partitionStores.js';

/** The number of partitions of the event history processor's inputs (every events topic has as many). */
export function historyPartitions(topology: TopologySpec, history: { readonly processor: string }): number {
  const spec = topology.processors.find((p) => p.name === history.processor);
  const input = topology.topics.find((t) => t.name === spec?.inputs[0]);
  return input?.partitions ?? 1;
}

/**
 * The ids of a domain's aggregates that start with a prefix, in key order, found in the event
 * history on every partition (wherever its task runs): one read per id found, each skipping past
 * the events of the id before it, so a long history costs what a short one does.
 */
export class AggregateIds {
  private readonly partitions: number;

  constructor(
    private readonly options: {
      readonly stores: PartitionStores;
      readonly history: { readonly processor: string; readonly store: string };
      readonly topology: TopologySpec;
    },
  ) {
    this.partitions = historyPartitions(options.topology, options.history);
  }

  async search(domain: string, prefix: string, limit: number, deadline: number): Promise<string[]> {
    const { processor, store } = this.options.history;
    // The domain's keys are `<domain>/` then the composite key of the id and the sequence; an id's
    // encoded part starts with the prefix's whenever the id starts with the prefix (ids hold no
    // control characters, which alone are escaped).
    const { gte: start, lt: end } = domainRange(domain);
    const perPartition = await Promise.all(
      Array.from({ length: this.partitions }, async (_, partition) => {
        const target = { processor, store, partition };
        const ids: string[] = [];
        let gte = start + prefix;
        while (ids.length < limit) {
          const [entry] = await this.options.stores.range(target, { gte, lt: end, limit: 1 }, deadline);
          if (!entry || !entry[0].startsWith(start + prefix)) break;
          const id = decodeCompositeKey(entry[0].slice(start.length))[0]!;
          ids.push(id);
          gte = start + compositeRange(id).lt;
        }
        return ids;
      }),
    );
    return perPartition
      .flat()
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, limit);
  }
}
