/** One change to a store: a new value for a key, or `null` to delete it. */
export interface StoreWrite {
  readonly key: string;
  readonly value: Buffer | null;
}

/**
 * Bounds of a range read, in key order (Unicode code point order, which is the byte order of the
 * keys' UTF-8 and so LevelDB's). When both `gte` and `gt` (or `lte` and `lt`) are given, the
 * tighter bound applies. `limit` caps the number of entries; `reverse` reads from the upper end.
 */
export interface RangeOptions {
  gte?: string;
  gt?: string;
  lte?: string;
  lt?: string;
  limit?: number;
  reverse?: boolean;
}

/**
 * A task's local key-value store (Kafka Streams' KeyValueStore), backed by a compacted changelog
 * topic. Keys are well-formed Unicode strings, values bytes. The store remembers the changelog
 * offset its contents reflect, so that a restore reads only what it misses.
 */
export interface KeyValueStore {
  readonly name: string;
  get(key: string): Promise<Buffer | undefined>;
  getMany(keys: readonly string[]): Promise<(Buffer | undefined)[]>;
  /** Applies the writes atomically, and (if given) records the changelog offset the store now reflects, in the same atomic batch. */
  write(writes: readonly StoreWrite[], checkpoint?: bigint): Promise<void>;
  /** The entries within the bounds; a read sees the store as it was when iteration began. */
  range(options?: RangeOptions): AsyncIterable<[string, Buffer]>;
  /** The changelog offset (next offset to read) the store reflects; undefined if never checkpointed. */
  checkpoint(): Promise<bigint | undefined>;
  /** Removes every entry and the checkpoint. */
  clear(): Promise<void>;
  close(): Promise<void>;
}
