import { describe, expect, it } from 'vitest';
import { MemoryKeyValueStore } from './memoryKeyValueStore.js';
import { TransactionalStore } from './transactionalStore.js';
import { jsonStore, TypedStore } from './typedStore.js';
import { stringCodec } from './valueCodec.js';

interface Product {
  name: string;
  stock: number;
  version: bigint;
}

async function collect<T>(source: AsyncIterable<[string, T]>): Promise<[string, T][]> {
  const out: [string, T][] = [];
  for await (const entry of source) out.push(entry);
  return out;
}

describe('TypedStore', () => {
  it('reads and writes decoded values straight through a KeyValueStore', async () => {
    const store = new MemoryKeyValueStore('products');
    const products = jsonStore<Product>(store);
    expect(products.name).toBe('products');
    await products.put('p1', { name: 'pen', stock: 3, version: 1n });
    await products.put('p2', { name: 'ink', stock: 0, version: 2n });
    expect(await products.get('p1')).toEqual({ name: 'pen', stock: 3, version: 1n });
    expect(await products.getMany(['p2', 'none'])).toEqual([
      { name: 'ink', stock: 0, version: 2n },
      undefined,
    ]);
    await products.delete('p1');
    expect(await products.get('p1')).toBeUndefined();
    expect(await collect(products.range())).toEqual([['p2', { name: 'ink', stock: 0, version: 2n }]]);
    expect((await store.get('p2'))!.toString()).toBe('{"name":"ink","stock":0,"version":{"$bigint":"2"}}');
  });

  it('buffers in the transaction over a TransactionalStore', async () => {
    const store = new MemoryKeyValueStore('names');
    await store.write([{ key: 'a', value: Buffer.from('old') }], 1n);
    const tx = new TransactionalStore(store);
    const names = new TypedStore(tx, stringCodec);
    await names.put('b', 'new');
    await names.delete('a');
    expect(await names.get('b')).toBe('new');
    expect(await names.get('a')).toBeUndefined();
    expect(await collect(names.range())).toEqual([['b', 'new']]);
    expect((await store.get('a'))!.toString()).toBe('old');
    expect(tx.pendingWrites()).toHaveLength(2);
    await tx.commit(4n);
    expect(await collect(new TypedStore(store, stringCodec).range())).toEqual([['b', 'new']]);
  });
});
