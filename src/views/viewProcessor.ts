import { CloudEventHeaders } from '../commands/cloudEvents.js';
import type { DomainName } from '../domain/domainRecord.js';
import type { KesRecord } from '../processor/kesRecord.js';
import { partitionForKey } from '../processor/partitioner.js';
import type { Processor } from '../processor/processor.js';
import type { Serde } from '../serde/serde.js';
import { SOURCE_HEADER, formatPosition, parsePosition, type SourcePosition } from './sourcePosition.js';
import { type StoredRow, decodeRow, encodeRow } from './storedRow.js';
import type { ViewDefinition, ViewEvent } from './viewEvent.js';
import { PROGRESS_KEY, noteApplied, noteForwarded } from './viewProgress.js';

export interface ViewProcessorOptions<Row> {
  /** The processor's name in the topology. */
  readonly name: string;
  /** The store holding the rows. */
  readonly store: string;
  readonly view: ViewDefinition<Row>;
  readonly serde: Serde;
  /** Forward every changed row, re-keyed, to a repartition topic (for an index keyed otherwise). */
  readonly forward?: {
    readonly topic: string;
    readonly partitions: number;
    /** The row's key in the index; undefined while it has none (the row is not forwarded). */
    keyOf(row: Row): string | undefined;
  };
}

/** What a view forwards: a row of the view, under its own key, with its versions. */
export interface ForwardedRow<Row = unknown> extends StoredRow<Row> {
  readonly key: string;
}

/**
 * Materializes a view in a task's store: every event of a type the view reads goes through the
 * view's `evolve` into the row it addresses, unless the row has already applied that aggregate's
 * version (replays and duplicates change nothing). Every record, read or skipped, moves the
 * task's progress (for read-your-writes). Exactly once like any processor: rows, progress and
 * forwarded records are written in the input's transaction.
 */
export function viewProcessor<Row>(options: ViewProcessorOptions<Row>): Processor {
  const { view, serde, forward } = options;
  const types = new Set(view.eventTypes);
  return {
    name: options.name,
    // Rows are keyed as their records (the aggregate id, or the key a repartition gave them):
    // a chunk's rows are loaded in one read.
    prefetch: (records) =>
      new Map([[options.store, [PROGRESS_KEY, ...records.flatMap((r) => (r.key === null ? [] : [r.key]))]]]),
    async process(record, context) {
      const store = context.store(options.store);
      const position = sourcePosition(record);
      const progress = await noteApplied(store, position);
      if (record.value === null || record.key === null) return;
      const headerType = record.headers[CloudEventHeaders.type];
      if (headerType !== undefined && !types.has(headerType)) return;
      const decoded = await serde.decode(record.value);
      if (!types.has(decoded.type)) return;
      const event = viewEvent(record, decoded.type, decoded.value as Record<string, unknown>);
      const key = view.keyOf ? view.keyOf(event) : event.aggregateId;
      if (key === undefined) return;
      // The row's versions by source aggregate: the domain is a segment of an Avro name, which
      // has no `/`, so the first `/` ends it and two aggregates never share a source.
      const source = `${event.domain}/${event.aggregateId}`;
      const stored = await store.get(key);
      const current = stored ? decodeRow<Row>(stored) : undefined;
      if (current && (current.versions[source] ?? 0) >= event.sequence) return;
      const row = view.evolve(current?.row, event);
      if (row === undefined) {
        if (current) store.delete(key);
        return;
      }
      const next: StoredRow<Row> = { row, versions: { ...current?.versions, [source]: event.sequence } };
      store.put(key, encodeRow(next));
      const forwardKey = forward?.keyOf(row);
      if (forward && forwardKey !== undefined) {
        const value: ForwardedRow<Row> = { key, ...next };
        context.forward({
          topic: forward.topic,
          key: forwardKey,
          value: Buffer.from(JSON.stringify(value)),
          headers: { [SOURCE_HEADER]: formatPosition(position) },
        });
        noteForwarded(store, progress, partitionForKey(forwardKey, forward.partitions), position);
      }
    },
  };
}

/** Where the record's event was first written: its `kes.source` header, else the record itself. */
export function sourcePosition(record: KesRecord): SourcePosition {
  const header = record.headers[SOURCE_HEADER];
  const parsed = header === undefined ? undefined : parsePosition(header);
  return parsed ?? { topic: record.topic, partition: record.partition, offset: Number(record.offset) };
}

/** The view's event for a decoded record; its metadata from the CloudEvents headers. */
export function viewEvent(record: KesRecord, fullType: string, data: Record<string, unknown>): ViewEvent {
  const [, domain, type] = fullType.split('.') as [string, DomainName, string];
  const H = CloudEventHeaders;
  const sequence = Number(record.headers[H.sequence]);
  if (!Number.isSafeInteger(sequence) || sequence < 1) {
    throw new Error(`${fullType} at ${record.topic}:${record.partition}:${record.offset} has no ce_sequence`);
  }
  const time = Date.parse(record.headers[H.time] ?? '');
  return {
    domain,
    type,
    aggregateId: record.headers[H.subject] ?? record.key!,
    sequence,
    time: Number.isNaN(time) ? record.timestamp : time,
    data,
  };
}
