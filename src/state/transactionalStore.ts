import { checkKey, compareKeys, inRange, keyRange } from './keyOrder.js';
import type { KeyValueStore, RangeOptions, StoreWrite } from './keyValueStore.js';
import { StateError } from './stateError.js';

/**
 * A task's view of a store during one transaction. Writes are buffered; reads see them first
 * (read-your-writes), then the store. The runtime sends `pendingWrites()` to the changelog topic
 * in the same Kafka transaction as its outputs; once that transaction commits, `commit()` applies
 * them to the store with the changelog offset as checkpoint, and if it aborts, `abort()` drops
 * them. After either, the next transaction starts with nothing pending.
 */
export class TransactionalStore {
  /** Key → its last write in this transaction; re-inserted on each write, so in last-write order. */
  private readonly pending = new Map<string, Buffer | null>();
  private committing = false;

  constructor(readonly store: KeyValueStore) {}

  get name(): string {
    return this.store.name;
  }

  async get(key: string): Promise<Buffer | undefined> {
    checkKey(key);
    if (!this.pending.has(key)) return this.store.get(key);
    const value = this.pending.get(key);
    return value === null || value === undefined ? undefined : Buffer.from(value);
  }

  async getMany(keys: readonly string[]): Promise<(Buffer | undefined)[]> {
    keys.forEach(checkKey);
    const missing = keys.filter((key) => !this.pending.has(key));
    const stored = new Map<string, Buffer | undefined>();
    const values = missing.length > 0 ? await this.store.getMany(missing) : [];
    missing.forEach((key, i) => stored.set(key, values[i]));
    return keys.map((key) => {
      if (!this.pending.has(key)) return stored.get(key);
      const value = this.pending.get(key);
      return value === null || value === undefined ? undefined : Buffer.from(value);
    });
  }

  /** The store's range with this transaction's writes merged in. */
  async *range(options?: RangeOptions): AsyncGenerator<[string, Buffer]> {
    const range = keyRange(options);
    if (range.limit === 0) return;
    const order = (a: string, b: string) => (range.reverse ? compareKeys(b, a) : compareKeys(a, b));
    const overlay = [...this.pending].filter(([key]) => inRange(key, range)).sort(([a], [b]) => order(a, b));
    let next = 0;
    let count = 0;
    // The store is read without the limit: pending deletes may hide some of its entries.
    for await (const [key, value] of this.store.range({ ...options, limit: undefined })) {
      while (next < overlay.length && order(overlay[next]![0], key) < 0) {
        const [pendingKey, pendingValue] = overlay[next++]!;
        if (pendingValue === null) continue;
        yield [pendingKey, Buffer.from(pendingValue)];
        if (++count >= range.limit) return;
      }
      if (next < overlay.length && overlay[next]![0] === key) {
        const pendingValue = overlay[next++]![1];
        if (pendingValue === null) continue;
        yield [key, Buffer.from(pendingValue)];
      } else {
        yield [key, value];
      }
      if (++count >= range.limit) return;
    }
    for (; next < overlay.length; next++) {
      const [pendingKey, pendingValue] = overlay[next]!;
      if (pendingValue === null) continue;
      yield [pendingKey, Buffer.from(pendingValue)];
      if (++count >= range.limit) return;
    }
  }

  put(key: string, value: Buffer): void {
    this.buffer(key, Buffer.from(value));
  }

  delete(key: string): void {
    this.buffer(key, null);
  }

  /** The writes of this transaction, one per key (its last), in the order of those last writes. */
  pendingWrites(): StoreWrite[] {
    return [...this.pending].map(([key, value]) => ({ key, value }));
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /**
   * Applies the pending writes to the store in one atomic write, with `checkpoint` (the changelog
   * offset after this transaction's last changelog record). Without a checkpoint the store keeps
   * its old one, which is right only for a store whose writes were not logged. On failure nothing
   * is dropped, so the caller can retry or give up on the store (and restore it).
   */
  async commit(checkpoint?: bigint): Promise<void> {
    this.checkIdle();
    const writes = this.pendingWrites();
    if (writes.length === 0 && checkpoint === undefined) return;
    this.committing = true;
    try {
      await this.store.write(writes, checkpoint);
      this.pending.clear();
    } finally {
      this.committing = false;
    }
  }

  /** Drops the pending writes. */
  abort(): void {
    this.checkIdle();
    this.pending.clear();
  }

  private buffer(key: string, value: Buffer | null): void {
    this.checkIdle();
    checkKey(key);
    this.pending.delete(key);
    this.pending.set(key, value);
  }

  private checkIdle(): void {
    if (this.committing) throw new StateError('COMMIT_IN_PROGRESS', `store ${this.name}`);
  }
}
