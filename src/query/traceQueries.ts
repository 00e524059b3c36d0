import type { Serde } from '../serde/serde.js';
import type { TopologySpec } from '../topology/topologySpec.js';
import type { HistoryEntry } from '../views/eventHistory.js';
import { parseTraceKey, type TraceMatch, traceRange } from '../views/traceKey.js';
import { historyPartitions } from './aggregateIds.js';
import type { PartitionStores } from './partitionStores.js';
import { decodeHistoryEntry, type HistoryEvent } from './viewQueries.js';

/** An event of a trace: a history event, its aggregate, and how the traced id names it. */
export interface TraceEvent extends HistoryEvent {
  readonly domain: string;
  readonly aggregateId: string;
  readonly match: TraceMatch;
}

/**
 * Events in the order they happened: by time, then by position (topic, partition, offset) so
 * that events of one time keep one order.
 */
export function compareTraceEvents(a: TraceEvent, b: TraceEvent): number {
  const byTime = Date.parse(a.time) - Date.parse(b.time);
  if (byTime !== 0 && !Number.isNaN(byTime)) return byTime;
  const [ta, pa, oa] = splitPosition(a.position);
  const [tb, pb, ob] = splitPosition(b.position);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return pa - pb || (oa < ob ? -1 : oa > ob ? 1 : 0);
}

function splitPosition(position: string): [string, number, bigint] {
  const [offset, partition, ...topic] = position.split(':').reverse();
  return [topic.reverse().join(':'), Number(partition), BigInt(offset ?? 0)];
}

/**
 * Every event that names an id — as its correlation id or its causation id — across every
 * domain and partition: the event history's trace index (traceKey.ts) is read on every partition
 * of the history processor, wherever it lives, and each event found is read from the history
 * beside it and decoded as the history is.
 */
export class TraceQueries {
  private readonly partitions: number;

  constructor(
    private readonly options: {
      readonly stores: PartitionStores;
      readonly history: { readonly processor: string; readonly store: string };
      readonly topology: TopologySpec;
      readonly serde: Serde;
    },
  ) {
    this.partitions = historyPartitions(options.topology, options.history);
  }

  async trace(id: string, deadline: number): Promise<TraceEvent[]> {
    const { processor, store } = this.options.history;
    const found = await Promise.all(
      Array.from({ length: this.partitions }, async (_, partition) => {
        const target = { processor, store, partition };
        const entries = await this.options.stores.range(target, traceRange(id), deadline);
        // An event named as both correlation and causation has one key (its causation is the
        // flow's first command); how it names the id is read from the event itself.
        const keys = new Map(
          entries.map(([key, pointer]) => [JSON.parse(pointer) as string, parseTraceKey(key)]),
        );
        return Promise.all(
          [...keys].map(async ([historyKey, parts]) => {
            const text = await this.options.stores.get(target, historyKey, deadline);
            if (text === undefined) return undefined;
            const event = await decodeHistoryEntry(this.options.serde, JSON.parse(text) as HistoryEntry);
            const match: TraceMatch = event.causationId === id ? 'causation' : 'correlation';
            return { ...event, domain: parts.domain, aggregateId: parts.aggregateId, match };
          }),
        );
      }),
    );
    return found
      .flat()
      .filter((e): e is TraceEvent => e !== undefined)
      .sort(compareTraceEvents);
  }
}
