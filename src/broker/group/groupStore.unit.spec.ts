import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { GroupStore } from './groupStore.js';
import type { CommittedOffset } from './journalRecord.js';
import { MemoryGroupJournal } from './memoryGroupJournal.js';

const logger = pino({ level: 'silent' });

const offset = (topic: string, partition: number, value: bigint): CommittedOffset => ({
  topic,
  partition,
  offset: value,
  leaderEpoch: -1,
  metadata: '',
  commitTimestamp: 0,
});

function storeOn(journal: MemoryGroupJournal, compactMinEntries = 1000): GroupStore {
  const store = new GroupStore(journal, { logger, compactMinEntries });
  store.load();
  return store;
}

describe('GroupStore', () => {
  it('keeps the latest offset per partition and rebuilds it from the journal', () => {
    const journal = new MemoryGroupJournal();
    const store = storeOn(journal);
    store.commit('g', [offset('a', 0, 1n), offset('a', 1, 1n)]);
    store.commit('g', [offset('a', 0, 2n)]);
    store.recordGeneration('g', 7, 'consumer');
    expect(store.offset('g', 'a', 0)?.offset).toBe(2n);

    const reloaded = storeOn(journal);
    expect(reloaded.allOffsets('g').map((o) => [o.partition, o.offset])).toEqual([
      [0, 2n],
      [1, 1n],
    ]);
    expect(reloaded.get('g')).toMatchObject({ generationId: 7, protocolType: 'consumer' });
  });

  it('drops a deleted topic from every group, and a deleted group entirely', () => {
    const journal = new MemoryGroupJournal();
    const store = storeOn(journal);
    store.commit('g', [offset('a', 0, 1n), offset('b', 0, 1n)]);
    store.commit('h', [offset('a', 0, 3n)]);
    store.deleteTopic('a');
    store.deleteGroup('g');
    const reloaded = storeOn(journal);
    expect(reloaded.get('g')).toBeUndefined();
    expect(reloaded.allOffsets('h')).toEqual([]);
    expect(reloaded.get('h')).toBeDefined();
    // Nothing to delete: nothing is written.
    const length = journal.records.length;
    store.deleteTopic('never-committed');
    store.deleteGroup('never-existed');
    expect(journal.records).toHaveLength(length);
  });

  it('keeps transactional offsets pending until their transaction ends, across a restart', () => {
    const journal = new MemoryGroupJournal();
    const store = storeOn(journal);
    store.commit('g', [offset('a', 0, 1n)]);
    store.commitPending('g', 7n, [offset('a', 0, 5n)]);
    store.commitPending('g', 7n, [offset('a', 1, 6n)]);
    store.commitPending('g', 8n, [offset('a', 0, 9n)]);
    expect(store.offset('g', 'a', 0)?.offset).toBe(1n);
    expect(store.groupsWithPending(7n)).toEqual(['g']);

    const reloaded = storeOn(journal);
    reloaded.endTransaction('g', 7n, true);
    reloaded.endTransaction('g', 8n, false);
    expect(reloaded.offset('g', 'a', 0)?.offset).toBe(5n);
    expect(reloaded.offset('g', 'a', 1)?.offset).toBe(6n);
    expect(reloaded.groupsWithPending(8n)).toEqual([]);
    // Ending a transaction that left nothing pending writes nothing.
    const length = journal.records.length;
    reloaded.endTransaction('g', 99n, true);
    expect(journal.records).toHaveLength(length);
    expect(storeOn(journal).offset('g', 'a', 0)?.offset).toBe(5n);
  });

  it('keeps pending offsets through a compaction', () => {
    const journal = new MemoryGroupJournal();
    const store = storeOn(journal, 1);
    store.commitPending('g', 3n, [offset('a', 0, 4n)]);
    for (let i = 0n; i < 5n; i++) store.commit('g', [offset('b', 0, i)]);
    const reloaded = storeOn(journal);
    reloaded.endTransaction('g', 3n, true);
    expect(reloaded.offset('g', 'a', 0)?.offset).toBe(4n);
  });

  it('lists the topics that have offsets', () => {
    const store = storeOn(new MemoryGroupJournal());
    store.commit('g', [offset('a', 0, 1n), offset('b', 0, 1n)]);
    store.commit('h', [offset('c', 0, 3n)]);
    store.deleteTopic('b');
    expect([...store.topics()].sort()).toEqual(['a', 'c']);
  });

  it('compacts the journal to the latest entry per key once it outgrows the live state', () => {
    const journal = new MemoryGroupJournal();
    const store = storeOn(journal, 20);
    for (let i = 0n; i < 100n; i++) {
      store.commit('g', [offset('a', 0, i), offset('a', 1, i * 2n)]);
      if (i % 10n === 0n) store.recordGeneration('g', Number(i), 'consumer');
    }
    store.commit('h', [offset('b', 3, 42n)]);
    // Without compaction the journal would hold 111 records.
    expect(journal.records.length).toBeLessThan(25);

    const reloaded = storeOn(journal);
    expect(reloaded.allOffsets('g').map((o) => [o.partition, o.offset])).toEqual([
      [0, 99n],
      [1, 198n],
    ]);
    expect(reloaded.get('g')?.generationId).toBe(90);
    expect(reloaded.offset('h', 'b', 3)?.offset).toBe(42n);
  });

  it('writes to the journal before the change is visible', () => {
    const journal = new MemoryGroupJournal();
    const store = storeOn(journal);
    journal.append = () => {
      throw new Error('disk full');
    };
    expect(() => store.commit('g', [offset('a', 0, 1n)])).toThrow('disk full');
    expect(store.offset('g', 'a', 0)).toBeUndefined();
  });
});
