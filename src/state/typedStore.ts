import type { KeyValueStore, RangeOptions } from './keyValueStore.js';
import { TransactionalStore } from './transactionalStore.js';
import { jsonCodec, type ValueCodec } from './valueCodec.js';

/**
 * Decoded values over a store. Over a TransactionalStore, `put` and `delete` buffer in the
 * transaction; over a plain KeyValueStore, each one is a write of its own (no checkpoint).
 */
export class TypedStore<T> {
  constructor(
    readonly store: KeyValueStore | TransactionalStore,
    readonly codec: ValueCodec<T>,
  ) {}

  get name(): string {
    return this.store.name;
  }

  async get(key: string): Promise<T | undefined> {
    const bytes = await this.store.get(key);
    return bytes === undefined ? undefined : this.codec.decode(bytes);
  }

  async getMany(keys: readonly string[]): Promise<(T | undefined)[]> {
    const values = await this.store.getMany(keys);
    return values.map((bytes) => (bytes === undefined ? undefined : this.codec.decode(bytes)));
  }

  async put(key: string, value: T): Promise<void> {
    const bytes = this.codec.encode(value);
    if (this.store instanceof TransactionalStore) this.store.put(key, bytes);
    else await this.store.write([{ key, value: bytes }]);
  }

  async delete(key: string): Promise<void> {
    if (this.store instanceof TransactionalStore) this.store.delete(key);
    else await this.store.write([{ key, value: null }]);
  }

  async *range(options?: RangeOptions): AsyncGenerator<[string, T]> {
    for await (const [key, bytes] of this.store.range(options)) yield [key, this.codec.decode(bytes)];
  }
}

/** A TypedStore of JSON values (bigints kept exact). */
export const jsonStore = <T>(store: KeyValueStore | TransactionalStore): TypedStore<T> =>
  new TypedStore(store, jsonCodec<T>());
