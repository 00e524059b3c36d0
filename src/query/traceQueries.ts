import type { Serde } from '../serde/serde.js';
import type { TopologySpec } from '../topology/topologySpec.js';
import type { HistoryEntry } from '../views/eventHistory.js';
import { parseTraceKey, type TraceMatch, traceRange } from '../views/traceKey.js';
import type { PartitionStores } from './partitionStores.js';
import { decodeHistoryEntry, type HistoryEvent } from './viewQueries.js';

/** An event of a trace: a history event, its aggregate, and how the traced id names it. */
export interface TraceEvent extends HistoryEvent {
  readonly domain: string;
  readonly aggregateId: string;
  readonly match: TraceMatch;
}

/** When an event matches an id in several ways, the most specific one is said. */
const SPECIFICITY: Record<TraceMatch, number> = { id: 0, causation: 1, correlation: 2 };

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
 * Every event an id names — as its own id, its correlation id or its causation id — across every
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
    const spec = options.topology.processors.find((p) => p.name === options.history.processor);
    const input = options.topology.topics.find((t) => t.name === spec?.inputs[0]);
    this.partitions = input?.partitions ?? 1;
  }

  async trace(id: string, deadline: number): Promise<TraceEvent[]> {
    const { processor, store } = this.options.history;
    const found = await Promise.all(
      Array.from({ length: this.partitions }, async (_, partition) => {
        const target = { processor, store, partition };
        const entries = await this.options.stores.range(target, traceRange(id), deadline);
        // One event may be named in several ways (a command's first event: correlation and causation).
        const events = new Map<string, ReturnType<typeof parseTraceKey>>();
        for (const [key, pointer] of entries) {
          const parts = parseTraceKey(key);
          const historyKey = JSON.parse(pointer) as string;
          const seen = events.get(historyKey);
          if (!seen || SPECIFICITY[parts.match] < SPECIFICITY[seen.match]) events.set(historyKey, parts);
        }
        return Promise.all(
          [...events].map(async ([historyKey, parts]) => {
            const text = await this.options.stores.get(target, historyKey, deadline);
            if (text === undefined) return undefined;
            const event = await decodeHistoryEntry(this.options.serde, JSON.parse(text) as HistoryEntry);
            return { ...event, domain: parts.domain, aggregateId: parts.aggregateId, match: parts.match };
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
