import type { AggregateSnapshot } from '../commands/aggregateSnapshot.js';
import type { Decider } from '../domain/decider.js';
import { QueryError } from './queryError.js';
import { partitionForKey } from '../processor/partitioner.js';
import type { Serde } from '../serde/serde.js';
import type { TopologySpec } from '../topology/topologySpec.js';
import { type HistoryEntry, historyRange } from '../views/eventHistory.js';
import { indexRange } from '../views/indexProcessor.js';
import type { QueryableView } from '../views/readSide.js';
import { type SourcePosition, sourceOf } from '../views/sourcePosition.js';
import { type StoredRow } from '../views/storedRow.js';
import { baseName } from '../views/viewGeneration.js';
import { FIRST_ROW_KEY } from '../views/viewProgress.js';
import type { PartitionStores, StoreTarget } from './partitionStores.js';

export interface Page<T> {
  readonly items: readonly T[];
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly next: string | null;
}

export interface PageRequest {
  readonly limit: number;
  readonly cursor?: string;
  readonly after?: SourcePosition;
}

/** One event of an aggregate's history, decoded, with its metadata. */
export interface HistoryEvent {
  readonly id: string;
  readonly type: string;
  readonly sequence: number;
  readonly time: string;
  readonly correlationId: string | null;
  readonly causationId: string | null;
  readonly position: string;
  readonly schemaVersion: number;
  readonly data: unknown;
}

/** An event as the history stores it, decoded with the current schemas (upcast), with its metadata. */
export async function decodeHistoryEntry(serde: Serde, entry: HistoryEntry): Promise<HistoryEvent> {
  const decoded = await serde.decode(Buffer.from(entry.value, 'base64'));
  const h = entry.headers;
  return {
    id: h.ce_id ?? '',
    type: decoded.type.slice(decoded.type.lastIndexOf('.') + 1),
    sequence: Number(h.ce_sequence),
    time: h.ce_time ?? new Date(entry.timestamp).toISOString(),
    correlationId: h.ce_correlationid ?? null,
    causationId: h.ce_causationid ?? null,
    position: `${entry.topic}:${entry.partition}:${entry.offset}`,
    schemaVersion: decoded.writerVersion ?? decoded.version,
    data: decoded.value,
  };
}

export const encodeCursor = (key: string) => Buffer.from(key, 'utf8').toString('base64url');

export function decodeCursor(cursor: string): string {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (cursor.length === 0 || encodeCursor(key) !== cursor) {
    throw new QueryError('INVALID_REQUEST', 'cursor is not one this API gave', { field: 'cursor' });
  }
  return key;
}

/**
 * The queries of the read side, answered from the partitions of the view stores wherever they
 * live: a row by key, a view page by page (scatter-gather over the partitions, merged in key
 * order), an index's rows for one value, an aggregate's history and its state at a version or a
 * time. `after` (a command result's position) waits until the view reflects that event.
 */
export class ViewQueries {
  private readonly partitions = new Map<string, number>();
  private readonly inputs = new Map<string, readonly string[]>();

  constructor(
    private readonly options: {
      readonly stores: PartitionStores;
      /** The views, by name, with the names of their serving generation. */
      readonly views: {
        names(): string[];
        resolve(name: string): QueryableView | undefined;
        /** The view's index parameter, if it has an index (the same in every generation). */
        indexName(name: string): string | undefined;
      };
      readonly history: { readonly processor: string; readonly store: string };
      readonly topology: TopologySpec;
      readonly serde: Serde;
      /** The application's deciders: the domains aggregates are read from, and their evolve. */
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      readonly deciders: readonly Decider<any, any, any>[];
    },
  ) {
    const counts = new Map(options.topology.topics.map((t) => [t.name, t.partitions]));
    for (const p of options.topology.processors) {
      this.partitions.set(p.name, counts.get(p.inputs[0]!) ?? 1);
      this.inputs.set(p.name, p.inputs);
    }
  }

  /** The names of the views queries can read. */
  get viewNames(): string[] {
    return this.options.views.names();
  }

  /** The query parameter of each view's index, by view (e.g. orders-with-invoices: customerId). */
  get indexNames(): Map<string, string> {
    const { views } = this.options;
    return new Map(
      views.names().flatMap((name) => {
        const index = views.indexName(name);
        return index === undefined ? [] : [[name, index] as const];
      }),
    );
  }

  view(name: string): QueryableView {
    const view = this.options.views.resolve(name);
    if (!view) throw new QueryError('UNKNOWN_VIEW', `no view named ${name}`, { view: name });
    return view;
  }

  async row(viewName: string, key: string, after: SourcePosition | undefined, deadline: number) {
    const view = this.view(viewName);
    const target = this.target(view.processor, view.store, key);
    if (after) await this.waitDirect(target, after, deadline);
    // Keys below the first row key are the task's own (its progress): never a row.
    const text = key < FIRST_ROW_KEY ? undefined : await this.options.stores.get(target, key, deadline);
    const stored = text === undefined ? undefined : (JSON.parse(text) as StoredRow);
    if (!stored || !this.visible(view, stored.row)) {
      throw new QueryError('NOT_FOUND', `${viewName} has no row ${key}`, { view: viewName, key });
    }
    return stored.row;
  }

  /** A page of the view's rows in key order, gathered from every partition. */
  async list(viewName: string, page: PageRequest, deadline: number): Promise<Page<unknown>> {
    const view = this.view(viewName);
    const count = this.partitionsOf(view.processor);
    if (page.after) {
      await this.waitDirect(
        this.targetAt(view.processor, view.store, page.after.partition),
        page.after,
        deadline,
      );
    }
    const bounds = page.cursor ? { gt: decodeCursor(page.cursor) } : { gte: FIRST_ROW_KEY };
    const parts = await Promise.all(
      Array.from({ length: count }, (_, p) =>
        this.options.stores.range(
          this.targetAt(view.processor, view.store, p),
          { ...bounds, limit: page.limit },
          deadline,
        ),
      ),
    );
    const merged = parts.flat().sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const taken = merged.slice(0, page.limit);
    // More rows follow if some were left out here, or a partition may hold more than it gave.
    const more = merged.length > page.limit || parts.some((entries) => entries.length === page.limit);
    return {
      items: taken
        .map(([, text]) => (JSON.parse(text) as StoredRow).row)
        .filter((row) => this.visible(view, row)),
      next: more && taken.length > 0 ? encodeCursor(taken.at(-1)![0]) : null,
    };
  }

  /** A page of the rows whose index value (e.g. customer id) is `value`. */
  async byIndex(
    viewName: string,
    value: string,
    page: PageRequest,
    deadline: number,
  ): Promise<Page<unknown>> {
    const view = this.view(viewName);
    const index = view.index;
    if (!index) throw new QueryError('INVALID_REQUEST', `${viewName} has no index`, { field: 'query' });
    const target = this.target(index.processor, index.store, value);
    if (page.after) await this.waitIndexed(view, target, page.after, deadline);
    // The cursor is the rest of the last key given, after the value's prefix: the scan stays
    // within the value's rows whatever cursor is sent.
    const { gte: prefix, lt } = indexRange(value);
    const lower = page.cursor ? { gt: prefix + decodeCursor(page.cursor) } : { gte: prefix };
    const entries = await this.options.stores.range(target, { ...lower, lt, limit: page.limit }, deadline);
    return {
      items: entries
        .map(([, text]) => (JSON.parse(text) as StoredRow).row)
        .filter((row) => this.visible(view, row)),
      next: entries.length === page.limit ? encodeCursor(entries.at(-1)![0].slice(prefix.length)) : null,
    };
  }

  /** The events of an aggregate in order, decoded with the current schemas. */
  async history(domain: string, aggregateId: string, after: SourcePosition | undefined, deadline: number) {
    const name = this.domain(domain);
    const { processor, store } = this.options.history;
    const target = this.target(processor, store, aggregateId);
    if (after) await this.waitDirect(target, after, deadline);
    const entries = await this.options.stores.range(target, historyRange(name, aggregateId), deadline);
    if (entries.length === 0) {
      throw new QueryError('NOT_FOUND', `${domain} has no aggregate ${aggregateId}`, { domain, aggregateId });
    }
    return Promise.all(entries.map(([, text]) => this.decodeEvent(JSON.parse(text) as HistoryEntry)));
  }

  /** The aggregate's state after its event `at` (a version), or as of `at` (a time), folding evolve. */
  async stateAt(
    domain: string,
    aggregateId: string,
    at: { version: number } | { time: number } | undefined,
    after: SourcePosition | undefined,
    deadline: number,
  ) {
    const decider = this.decider(domain);
    const name = decider.domain;
    const events = await this.history(name, aggregateId, after, deadline);
    const included = events.filter((e) =>
      at === undefined ? true : 'version' in at ? e.sequence <= at.version : Date.parse(e.time) <= at.time,
    );
    let state = decider.initialState();
    for (const e of included) state = decider.evolve(state, { type: e.type, data: e.data });
    const last = included.at(-1);
    return {
      domain: name,
      aggregateId,
      version: last?.sequence ?? 0,
      asOf: last?.time ?? null,
      state,
    };
  }

  /**
   * The aggregate's state as its command handler holds it now — every command committed, no lag
   * behind the events as a view has — or undefined when it has none.
   */
  async current(domain: string, aggregateId: string, deadline: number): Promise<unknown> {
    const name = this.domain(domain);
    const handler = this.options.topology.processors.find(
      (p) => p.kind === 'command-handler' && p.inputs.includes(`${name}.commands`),
    );
    const store = handler?.stores[0];
    if (!handler || !store) throw new Error(`the topology has no command handler for ${name}`);
    const target = this.target(handler.name, store.name, aggregateId);
    const text = await this.options.stores.get(target, aggregateId, deadline);
    return text === undefined ? undefined : (JSON.parse(text) as AggregateSnapshot<unknown>).state;
  }

  private domain(domain: string): string {
    return this.decider(domain).domain;
  }

  private decider(domain: string) {
    const decider = this.options.deciders.find((d) => d.domain === domain);
    if (!decider) throw new QueryError('UNKNOWN_DOMAIN', `no domain named ${domain}`, { domain });
    return decider;
  }

  private decodeEvent(entry: HistoryEntry): Promise<HistoryEvent> {
    return decodeHistoryEntry(this.options.serde, entry);
  }

  /** Partition count and inputs are those of generation 1 (a generation renames internal topics only). */
  private partitionsOf(processor: string): number {
    return this.partitions.get(baseName(processor)) ?? 1;
  }

  private inputsOf(processor: string): readonly string[] {
    return this.inputs.get(baseName(processor)) ?? [];
  }

  private visible(view: QueryableView, row: unknown): boolean {
    return view.definition.isVisible ? view.definition.isVisible(row) : true;
  }

  private target(processor: string, store: string, key: string): StoreTarget {
    return this.targetAt(processor, store, partitionForKey(key, this.partitionsOf(processor)));
  }

  private targetAt(processor: string, store: string, partition: number): StoreTarget {
    return { processor, store, partition };
  }

  /**
   * Waits until the task reflects `after`, when it can: the event is on one of the processor's
   * input topics, on the partition the task reads. Any other event cannot change what the task
   * holds (another key, another domain), so there is nothing to wait for.
   */
  private async waitDirect(target: StoreTarget, after: SourcePosition, deadline: number) {
    if (after.partition !== target.partition || !this.inputsOf(target.processor).includes(after.topic))
      return;
    await this.options.stores.progress(target, { source: sourceOf(after), offset: after.offset }, deadline);
  }

  /**
   * An index is fed by its view through a repartition topic: first the view's task for the event
   * must have applied it, then the index's task must have applied what that task last forwarded
   * to it from the same source.
   */
  private async waitIndexed(
    view: QueryableView,
    target: StoreTarget,
    after: SourcePosition,
    deadline: number,
  ) {
    if (!this.inputsOf(view.processor).includes(after.topic)) return;
    const upstream = this.targetAt(view.processor, view.store, after.partition);
    const source = sourceOf(after);
    const progress = await this.options.stores.progress(upstream, { source, offset: after.offset }, deadline);
    const forwarded = progress.forwarded[String(target.partition)]?.[source];
    if (forwarded === undefined) return;
    await this.options.stores.progress(target, { source, offset: forwarded }, deadline);
  }
}
