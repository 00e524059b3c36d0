import type { KeyValueStore, StoreWrite } from '../state/keyValueStore.js';
import { TransactionalStore } from '../state/transactionalStore.js';

/**
 * The writes one input record makes to one store: a TransactionalStore over the task's
 * transaction-wide one. Its reads see the record's own writes, then the transaction's, then the
 * store; `commit()` hands its writes to the transaction (only when the record was processed
 * without error), `abort()` drops them.
 */
export function recordScope(transaction: TransactionalStore): TransactionalStore {
  const passThrough: KeyValueStore = {
    name: transaction.name,
    get: (key) => transaction.get(key),
    getMany: (keys) => transaction.getMany(keys),
    range: (options) => transaction.range(options),
    write: async (writes: readonly StoreWrite[]) => {
      for (const w of writes) {
        if (w.value === null) transaction.delete(w.key);
        else transaction.put(w.key, w.value);
      }
    },
    checkpoint: () => transaction.store.checkpoint(),
    clear: () => Promise.reject(new Error('a record scope cannot clear its store')),
    close: async () => undefined,
  };
  return new TransactionalStore(passThrough);
}
