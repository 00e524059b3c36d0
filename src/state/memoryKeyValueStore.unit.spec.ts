import { MemoryKeyValueStore } from './memoryKeyValueStore.js';
import { describeKeyValueStoreContract } from './testing/keyValueStoreContract.js';

describeKeyValueStoreContract('MemoryKeyValueStore', async () => {
  const store = new MemoryKeyValueStore('memory-contract');
  return { store, dispose: () => store.close() };
});
