import type { KeyValueStore, RangeOptions, StoreWrite } from './keyValueStore.js';

/** A write of this many entries or more is a bulk write (a restore batch): not cached. */
const BULK_WRITE = 500;

/**
 * A read cache in front of a store (Kafka Streams layers a caching store over RocksDB): the most
 * recently read or written values, up to `maxEntries`, are served from memory. Writes go through
 * to the store first and then update the cache, so the cache never holds what the store does not;
 * ranges and checkpoints are the store's own. Absent keys are cached as absent (a new aggregate
 * is read once); bulk writes (restore batches) are not cached, only forgotten.
 */
export class CachingKeyValueStore implements KeyValueStore {
  /** Insertion order is recency order: a hit moves its key to the end. */
  /** Values by key, most recently used last; null: the key is known to be absent. */
  private readonly cache = new Map<string, Buffer | null>();

  constructor(
    private readonly store: KeyValueStore,
    private readonly maxEntries = 10_000,
  ) {}

  get name(): string {
    return this.store.name;
  }

  async get(key: string): Promise<Buffer | undefined> {
    if (this.cache.has(key)) {
      const hit = this.cache.get(key)!;
      this.touch(key, hit);
      return hit ? Buffer.from(hit) : undefined; // a copy: callers may not change what the store holds
    }
    const value = await this.store.get(key);
    this.touch(key, value ? Buffer.from(value) : null);
    return value;
  }

  async getMany(keys: readonly string[]): Promise<(Buffer | undefined)[]> {
    const missing = keys.filter((k) => !this.cache.has(k));
    const loaded = missing.length > 0 ? await this.store.getMany(missing) : [];
    const found = new Map<string, Buffer | null>();
    missing.forEach((k, i) => {
      const value = loaded[i];
      found.set(k, value ? Buffer.from(value) : null);
      this.touch(k, found.get(k)!);
    });
    return keys.map((k) => {
      const value = this.cache.has(k) ? this.cache.get(k) : found.get(k);
      return value ? Buffer.from(value) : undefined;
    });
  }

  async write(writes: readonly StoreWrite[], checkpoint?: bigint): Promise<void> {
    await this.store.write(writes, checkpoint);
    if (writes.length >= BULK_WRITE) {
      // A bulk write (a restore): caching it would only churn the cache; forget those keys.
      for (const { key } of writes) this.cache.delete(key);
      return;
    }
    for (const { key, value } of writes) this.touch(key, value === null ? null : Buffer.from(value));
  }

  range(options?: RangeOptions): AsyncIterable<[string, Buffer]> {
    return this.store.range(options);
  }

  checkpoint(): Promise<bigint | undefined> {
    return this.store.checkpoint();
  }

  async clear(): Promise<void> {
    this.cache.clear();
    await this.store.clear();
  }

  async close(): Promise<void> {
    this.cache.clear();
    await this.store.close();
  }

  private touch(key: string, value: Buffer | null): void {
    this.cache.delete(key);
    this.cache.set(key, value);
    if (this.cache.size > this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
  }
}
