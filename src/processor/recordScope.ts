import type { RangeOptions, StoreWrite } from '../state/keyValueStore.js';
import { compareKeys, inRange, keyRange } from '../state/keyOrder.js';
import type { StoreAccess } from './processor.js';

/** What a record scope writes through to: the task's transaction-wide view of a store. */
export interface ScopeTarget {
  get(key: string): Promise<Buffer | undefined>;
  put(key: string, value: Buffer): void;
  delete(key: string): void;
  range(options?: RangeOptions): AsyncIterable<[string, Buffer]>;
}

/**
 * The writes one input record makes to one store: read-your-writes over the transaction's view,
 * applied to it only if the record is processed without error (`apply`), dropped otherwise.
 */
export class RecordScope implements StoreAccess {
  private readonly writes = new Map<string, Buffer | null>();

  constructor(private readonly target: ScopeTarget) {}

  async get(key: string): Promise<Buffer | undefined> {
    if (this.writes.has(key)) return this.writes.get(key) ?? undefined;
    return this.target.get(key);
  }

  put(key: string, value: Buffer): void {
    this.writes.set(key, value);
  }

  delete(key: string): void {
    this.writes.set(key, null);
  }

  /** The target's entries merged with this scope's writes, in key order. */
  async *range(options: RangeOptions = {}): AsyncIterable<[string, Buffer]> {
    const bounds = keyRange(options);
    const own = [...this.writes]
      .filter(([key]) => inRange(key, bounds))
      .sort(([a], [b]) => compareKeys(a, b));
    if (options.reverse) own.reverse();
    const before = (a: string, b: string) =>
      options.reverse ? compareKeys(a, b) > 0 : compareKeys(a, b) < 0;
    const limit = options.limit ?? Infinity;
    let emitted = 0;
    let i = 0;
    // The target may yield keys this scope overwrote or deleted: skip those, emit ours in order.
    for await (const [key, value] of this.target.range({ ...options, limit: undefined })) {
      while (i < own.length && before(own[i]![0], key)) {
        const [k, v] = own[i++]!;
        if (v !== null) {
          yield [k, v];
          if (++emitted >= limit) return;
        }
      }
      if (this.writes.has(key)) continue;
      yield [key, value];
      if (++emitted >= limit) return;
    }
    for (; i < own.length; i++) {
      const [k, v] = own[i]!;
      if (v !== null) {
        yield [k, v];
        if (++emitted >= limit) return;
      }
    }
  }

  /** Hands the writes to the transaction. */
  apply(): void {
    for (const [key, value] of this.writes) {
      if (value === null) this.target.delete(key);
      else this.target.put(key, value);
    }
    this.writes.clear();
  }

  get pending(): StoreWrite[] {
    return [...this.writes].map(([key, value]) => ({ key, value }));
  }
}
