import { beforeEach, describe, expect, it } from 'vitest';
import type { KeyValueStore } from './keyValueStore.js';
import { MemoryKeyValueStore } from './memoryKeyValueStore.js';
import { type RestoreProgress, restoreStore } from './restoreStore.js';
import { MemoryChangelog } from './testing/memoryChangelog.js';

const TOPIC = 'orders-aggregates';

async function contents(store: KeyValueStore): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const [key, value] of store.range()) out[key] = value.toString();
  return out;
}

describe('restoreStore', () => {
  let changelog: MemoryChangelog;
  let store: MemoryKeyValueStore;
  beforeEach(() => {
    changelog = new MemoryChangelog();
    store = new MemoryKeyValueStore('orders');
  });

  it('restores an empty store from the log start, in batches, reporting progress', async () => {
    for (let i = 0; i < 10; i++) changelog.append(TOPIC, 0, `k${i % 4}`, `v${i}`);
    const progress: RestoreProgress[] = [];
    const result = await restoreStore({
      source: changelog,
      store,
      topic: TOPIC,
      partition: 0,
      maxBatchRecords: 4,
      onProgress: (p) => progress.push(p),
    });
    expect(await contents(store)).toEqual({ k0: 'v8', k1: 'v9', k2: 'v6', k3: 'v7' });
    expect(await store.checkpoint()).toBe(10n);
    expect(progress.map((p) => [p.restored, p.offset, p.endOffset])).toEqual([
      [0, 0n, 10n],
      [4, 4n, 10n],
      [8, 8n, 10n],
      [10, 10n, 10n],
    ]);
    expect(result).toMatchObject({
      store: 'orders',
      topic: TOPIC,
      partition: 0,
      restored: 10,
      offset: 10n,
      startOffset: 0n,
      endOffset: 10n,
      previousCheckpoint: undefined,
      cleared: true,
    });
  });

  it('reads only what follows the checkpoint', async () => {
    for (let i = 0; i < 6; i++) changelog.append(TOPIC, 1, `k${i}`, `v${i}`);
    await restoreStore({ source: changelog, store, topic: TOPIC, partition: 1 });
    changelog.append(TOPIC, 1, 'k0', 'new');
    changelog.append(TOPIC, 1, 'k9', 'v9');
    const result = await restoreStore({ source: changelog, store, topic: TOPIC, partition: 1 });
    expect(changelog.reads.at(-1)).toMatchObject({ from: 6n, to: 8n });
    expect(result).toMatchObject({ restored: 2, startOffset: 6n, previousCheckpoint: 6n, cleared: false });
    expect(await contents(store)).toMatchObject({ k0: 'new', k9: 'v9', k5: 'v5' });
  });

  it('applies tombstones as deletes', async () => {
    changelog.append(TOPIC, 0, 'a', '1');
    changelog.append(TOPIC, 0, 'b', '2');
    changelog.append(TOPIC, 0, 'a', null);
    await restoreStore({ source: changelog, store, topic: TOPIC, partition: 0 });
    expect(await contents(store)).toEqual({ b: '2' });
  });

  it('moves the checkpoint over offsets that carry no records (markers, aborted data)', async () => {
    changelog.append(TOPIC, 0, 'a', '1');
    changelog.skip(TOPIC, 0, 3);
    await restoreStore({ source: changelog, store, topic: TOPIC, partition: 0 });
    expect(await store.checkpoint()).toBe(4n);
  });

  it('clears the store and starts over when the checkpoint is beyond the end', async () => {
    changelog.append(TOPIC, 0, 'a', '1');
    await store.write([{ key: 'stale', value: Buffer.from('x') }], 50n);
    const result = await restoreStore({ source: changelog, store, topic: TOPIC, partition: 0 });
    expect(result).toMatchObject({ cleared: true, previousCheckpoint: 50n, startOffset: 0n, restored: 1 });
    expect(await contents(store)).toEqual({ a: '1' });
    expect(await store.checkpoint()).toBe(1n);
  });

  it('clears the store and starts at the log start when the checkpoint is below it', async () => {
    for (let i = 0; i < 5; i++) changelog.append(TOPIC, 0, `k${i}`, `v${i}`);
    changelog.truncate(TOPIC, 0, 3n);
    await store.write([{ key: 'stale', value: Buffer.from('x') }], 1n);
    const result = await restoreStore({ source: changelog, store, topic: TOPIC, partition: 0 });
    expect(result).toMatchObject({ cleared: true, startOffset: 3n, restored: 2 });
    expect(await contents(store)).toEqual({ k3: 'v3', k4: 'v4' });
  });

  it('clears data left without a checkpoint', async () => {
    changelog.append(TOPIC, 0, 'a', '1');
    await store.write([{ key: 'stale', value: Buffer.from('x') }]);
    await restoreStore({ source: changelog, store, topic: TOPIC, partition: 0 });
    expect(await contents(store)).toEqual({ a: '1' });
  });

  it('does not read when the checkpoint is the end', async () => {
    changelog.append(TOPIC, 0, 'a', '1');
    await restoreStore({ source: changelog, store, topic: TOPIC, partition: 0 });
    const progress: RestoreProgress[] = [];
    const result = await restoreStore({
      source: changelog,
      store,
      topic: TOPIC,
      partition: 0,
      onProgress: (p) => progress.push(p),
    });
    expect(changelog.reads).toHaveLength(1);
    expect(result).toMatchObject({ restored: 0, offset: 1n, endOffset: 1n, cleared: false });
    expect(progress).toHaveLength(1);
  });

  it('records a checkpoint for an empty partition without reading it', async () => {
    changelog.truncate(TOPIC, 0, 0n);
    const result = await restoreStore({ source: changelog, store, topic: TOPIC, partition: 0 });
    expect(changelog.reads).toHaveLength(0);
    expect(result).toMatchObject({ restored: 0, offset: 0n, endOffset: 0n });
    expect(await store.checkpoint()).toBe(0n);
  });

  it('keeps what it applied when reading fails, so the next restore resumes there', async () => {
    for (let i = 0; i < 10; i++) changelog.append(TOPIC, 0, `k${i}`, `v${i}`);
    changelog.failAfterCalls = 2;
    await expect(
      restoreStore({ source: changelog, store, topic: TOPIC, partition: 0, maxBatchRecords: 3 }),
    ).rejects.toThrow('changelog read failed');
    expect(await store.checkpoint()).toBe(6n);
    changelog.failAfterCalls = undefined;
    const result = await restoreStore({
      source: changelog,
      store,
      topic: TOPIC,
      partition: 0,
      maxBatchRecords: 3,
    });
    expect(result).toMatchObject({ startOffset: 6n, restored: 4, cleared: false });
    expect(Object.keys(await contents(store))).toHaveLength(10);
  });
});
