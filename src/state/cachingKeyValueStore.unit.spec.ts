import { describe, expect, it } from 'vitest';
import { CachingKeyValueStore } from './cachingKeyValueStore.js';
import { MemoryKeyValueStore } from './memoryKeyValueStore.js';
import { describeKeyValueStoreContract } from './testing/keyValueStoreContract.js';

describeKeyValueStoreContract('CachingKeyValueStore', async () => {
  // A cache of 3 entries, so that the contract's larger tests also run through evictions.
  const store = new CachingKeyValueStore(new MemoryKeyValueStore('cached-contract'), 3);
  return { store, dispose: () => store.close() };
});

describe('CachingKeyValueStore', () => {
  it('remembers absent keys until they are written, and forgets bulk writes', async () => {
    const backing = new MemoryKeyValueStore('backing');
    let reads = 0;
    const counting = Object.assign(Object.create(backing) as MemoryKeyValueStore, {
      get: async (key: string) => {
        reads++;
        return backing.get(key);
      },
      getMany: async (keys: readonly string[]) => {
        reads += keys.length;
        return backing.getMany(keys);
      },
    });
    const cached = new CachingKeyValueStore(counting, 10_000);
    expect(await cached.get('new')).toBeUndefined();
    expect(await cached.getMany(['new', 'other'])).toEqual([undefined, undefined]);
    expect(reads).toBe(2); // 'new' once, 'other' once
    await cached.write([{ key: 'new', value: Buffer.from('1') }]);
    expect((await cached.get('new'))?.toString()).toBe('1');
    const bulk = Array.from({ length: 600 }, (_, i) => ({ key: `k${i}`, value: Buffer.from(String(i)) }));
    await cached.write([...bulk, { key: 'other', value: Buffer.from('2') }]);
    // The bulk write is not cached, and 'other' is no longer known to be absent.
    expect((await cached.get('other'))?.toString()).toBe('2');
    expect((await cached.get('k7'))?.toString()).toBe('7');
    expect(reads).toBe(4);
  });

  it('serves repeated reads from memory, and never a value the store does not hold', async () => {
    const backing = new MemoryKeyValueStore('backing');
    let reads = 0;
    const counting = Object.assign(Object.create(backing) as MemoryKeyValueStore, {
      get: async (key: string) => {
        reads++;
        return backing.get(key);
      },
    });
    const cached = new CachingKeyValueStore(counting, 2);
    await cached.write([{ key: 'a', value: Buffer.from('1') }]);
    expect((await cached.get('a'))?.toString()).toBe('1');
    expect(reads).toBe(0);
    await cached.write([
      { key: 'b', value: Buffer.from('2') },
      { key: 'c', value: Buffer.from('3') },
    ]);
    // 'a' was evicted (capacity 2): it is read from the store again.
    expect((await cached.get('a'))?.toString()).toBe('1');
    expect(reads).toBe(1);
    await cached.write([{ key: 'a', value: null }]);
    expect(await cached.get('a')).toBeUndefined();
    // A write the store refuses leaves the cache as it was.
    await expect(
      cached.write([
        { key: 'b', value: Buffer.from('changed') },
        { key: '\uD800', value: Buffer.from('x') },
      ]),
    ).rejects.toThrow();
    expect(await cached.get('b')).toEqual(Buffer.from('2'));
  });
});
