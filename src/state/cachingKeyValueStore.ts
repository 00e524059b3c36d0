import type { KeyValueStore, RangeOptions, StoreWrite } from './keyValueStore.js';

/**
 * A read cache in front of a store (Kafka Streams layers a caching store over RocksDB): the most
 * recently read or written values, up to `maxEntries`, are served from memory. Writes go through
 * to the store first and then update the cache, so the cache never holds what the store does not;
 * ranges and checkpoints are the store's own. Absent keys are not cached.
 */
export class CachingKeyValueStore implements KeyValueStore {
  /** Insertion order is recency order: a hit moves its key to the end. */
  private readonly cache = new Map<string, Buffer>();

  constructor(
    private readonly store: KeyValueStore,
    private readonly maxEntries = 10_000,
  ) {}

  get name(): string {
    return this.store.name;
  }

  async get(key: string): Promise<Buffer | undefined> {
    const hit = this.cache.get(key);
    if (hit) {
      this.touch(key, hit);
      return Buffer.from(hit); // a copy: callers may not change what the store holds
    }
    const value = await this.store.get(key);
    if (value) this.touch(key, Buffer.from(value));
    return value;
  }

  async getMany(keys: readonly string[]): Promise<(Buffer | undefined)[]> {
    const missing = keys.filter((k) => !this.cache.has(k));
    const loaded = missing.length > 0 ? await this.store.getMany(missing) : [];
    missing.forEach((k, i) => {
      const value = loaded[i];
      if (value) this.touch(k, Buffer.from(value));
    });
    return keys.map((k) => {
      const value = this.cache.get(k);
      return value && Buffer.from(value);
    });
  }

  async write(writes: readonly StoreWrite[], checkpoint?: bigint): Promise<void> {
    await this.store.write(writes, checkpoint);
    for (const { key, value } of writes) {
      if (value === null) this.cache.delete(key);
      else this.touch(key, Buffer.from(value));
    }
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

  private touch(key: string, value: Buffer): void {
    this.cache.delete(key);
    this.cache.set(key, value);
    if (this.cache.size > this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
  }
}
