import { checkCheckpoint, checkKey, compareKeys, keyRange } from './keyOrder.js';
import type { KeyValueStore, RangeOptions, StoreWrite } from './keyValueStore.js';
import { StateError } from './stateError.js';

/**
 * A KeyValueStore in memory, for unit tests: a map plus its keys kept sorted. Values are copied in
 * and out, so callers cannot change stored bytes by mutating a buffer.
 */
export class MemoryKeyValueStore implements KeyValueStore {
  private readonly values = new Map<string, Buffer>();
  private readonly sorted: string[] = [];
  private offset: bigint | undefined;
  private closed = false;

  constructor(readonly name = 'memory') {}

  async get(key: string): Promise<Buffer | undefined> {
    this.checkOpen();
    checkKey(key);
    return copy(this.values.get(key));
  }

  async getMany(keys: readonly string[]): Promise<(Buffer | undefined)[]> {
    this.checkOpen();
    keys.forEach(checkKey);
    return keys.map((key) => copy(this.values.get(key)));
  }

  async write(writes: readonly StoreWrite[], checkpoint?: bigint): Promise<void> {
    this.checkOpen();
    // Check everything first: a write is all or nothing.
    for (const { key } of writes) checkKey(key);
    if (checkpoint !== undefined) checkCheckpoint(checkpoint);
    for (const { key, value } of writes) {
      if (value === null) this.remove(key);
      else this.set(key, Buffer.from(value));
    }
    if (checkpoint !== undefined) this.offset = checkpoint;
  }

  async *range(options?: RangeOptions): AsyncGenerator<[string, Buffer]> {
    this.checkOpen();
    const range = keyRange(options);
    const from = range.lower ? this.search(range.lower.key, !range.lower.inclusive) : 0;
    const to = range.upper ? this.search(range.upper.key, range.upper.inclusive) : this.sorted.length;
    const keys = this.sorted.slice(from, Math.max(from, to));
    if (range.reverse) keys.reverse();
    // A snapshot, as LevelDB iterators give: later writes do not show in this read.
    const entries = keys.slice(0, range.limit).map((key): [string, Buffer] => [key, this.values.get(key)!]);
    for (const [key, value] of entries) yield [key, Buffer.from(value)];
  }

  async checkpoint(): Promise<bigint | undefined> {
    this.checkOpen();
    return this.offset;
  }

  async clear(): Promise<void> {
    this.checkOpen();
    this.values.clear();
    this.sorted.length = 0;
    this.offset = undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private checkOpen(): void {
    if (this.closed) throw new StateError('CLOSED', `store ${this.name}`);
  }

  private set(key: string, value: Buffer): void {
    if (!this.values.has(key)) this.sorted.splice(this.search(key, false), 0, key);
    this.values.set(key, value);
  }

  private remove(key: string): void {
    if (!this.values.delete(key)) return;
    this.sorted.splice(this.search(key, false), 1);
  }

  /** The index of the first key above `key` (`after`) or at or above it. */
  private search(key: string, after: boolean): number {
    let low = 0;
    let high = this.sorted.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const c = compareKeys(this.sorted[mid]!, key);
      if (c < 0 || (after && c === 0)) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

const copy = (value: Buffer | undefined) => (value === undefined ? undefined : Buffer.from(value));
