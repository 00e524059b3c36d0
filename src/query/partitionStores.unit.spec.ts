import { describe, expect, it } from 'vitest';
import type { ProcessorRunner } from '../processor/processorRunner.js';
import { MemoryKeyValueStore } from '../state/memoryKeyValueStore.js';
import type { KeyValueStore } from '../state/keyValueStore.js';
import type { OwnerDirectory } from './ownerDirectory.js';
import { PartitionStores } from './partitionStores.js';

/** A runner owning partition 0, whose queryable store is whatever `current()` says at each call. */
function runnerWith(current: () => KeyValueStore | undefined): ProcessorRunner {
  return {
    name: 'view',
    group: 'kes-view',
    assignedPartitions: [0],
    queryableStore: () => current(),
  } as unknown as ProcessorRunner;
}

const noDirectory = {
  ownerOf: () => Promise.reject(new Error('a partition owned here is never looked up')),
} as unknown as OwnerDirectory;

const target = { processor: 'view', store: 'rows', partition: 0 };

describe('PartitionStores, a partition owned here', () => {
  it('reads again from the new store when its task was closed during the read (a failed transaction revives it)', async () => {
    const closed = new MemoryKeyValueStore('rows');
    await closed.close();
    const reopened = new MemoryKeyValueStore('rows');
    await reopened.write([{ key: 'k', value: Buffer.from('"v"') }]);
    // The store handed out first is closed by the time it is read; the task then restores
    // (no store for a moment) and runs again with a new one.
    const sequence: (KeyValueStore | undefined)[] = [closed, undefined, undefined, reopened];
    let calls = 0;
    const stores = new PartitionStores({
      runners: () => [runnerWith(() => sequence[Math.min(calls++, sequence.length - 1)])],
      applicationId: 'kes',
      directory: noDirectory,
      self: () => 'http://self',
    });
    await expect(stores.get(target, 'k', Date.now() + 5000)).resolves.toBe('"v"');
    await stores.close();
  });

  it('passes on an error of a store that is still the task’s own', async () => {
    const broken = new MemoryKeyValueStore('rows');
    await broken.close(); // closed, yet still handed out: not a task that moved on
    const stores = new PartitionStores({
      runners: () => [runnerWith(() => broken)],
      applicationId: 'kes',
      directory: noDirectory,
      self: () => 'http://self',
    });
    await expect(stores.get(target, 'k', Date.now() + 5000)).rejects.toMatchObject({ code: 'CLOSED' });
    await stores.close();
  });
});
