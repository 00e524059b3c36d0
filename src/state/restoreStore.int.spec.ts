import type { Kafka } from 'kafkajs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../../test/support/embeddedBroker.js';
import { tempDir } from '../../test/support/tempDir.js';
import { ChangelogReader } from './changelogReader.js';
import type { KeyValueStore } from './keyValueStore.js';
import { LevelKeyValueStore } from './levelKeyValueStore.js';
import { type RestoreProgress, restoreStore } from './restoreStore.js';
import { TransactionalStore } from './transactionalStore.js';
import {
  appendChanges,
  type Change,
  createChangelogTopic,
  finalState,
  someChanges,
} from './testing/changelogTopics.js';

/**
 * Restores of LevelDB stores from changelog topics on the embedded broker, all through one
 * ChangelogReader, as an application instance has: every test adds topics to it.
 */

let t: TestBroker;
let kafka: Kafka;
let reader: ChangelogReader;
let dir: { path: string; remove: () => void };
let topicCount = 0;

beforeAll(async () => {
  t = await startTestBroker();
  kafka = t.kafka('kes-restore-test');
  reader = await ChangelogReader.connect({ kafka, groupId: 'app-1-restore' });
});
afterAll(async () => {
  await reader.close();
  await t.stop();
});

let stores: KeyValueStore[] = [];
beforeEach(() => {
  dir = tempDir('kes-restore-');
});
afterEach(async () => {
  for (const store of stores) await store.close();
  stores = [];
  dir.remove();
});

async function openStore(name = 'store'): Promise<KeyValueStore> {
  const store = await LevelKeyValueStore.open(dir.path, name);
  stores.push(store);
  return store;
}

async function contents(store: KeyValueStore): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const [key, value] of store.range()) out[key] = value.toString();
  return out;
}

async function newChangelog(partitions = 1): Promise<string> {
  const topic = `store-${++topicCount}-changelog`;
  await createChangelogTopic(kafka, topic, partitions);
  return topic;
}

const restore = (
  store: KeyValueStore,
  topic: string,
  partition = 0,
  onProgress?: (p: RestoreProgress) => void,
) => restoreStore({ source: reader, store, topic, partition, onProgress, maxBatchRecords: 50 });

describe('restoreStore from Kafka', () => {
  it('restores an empty store from the start, with deletes, reporting progress', async () => {
    const topic = await newChangelog();
    const changes = someChanges(1000, 120, 7);
    const end = await appendChanges(kafka, topic, 0, changes);
    const store = await openStore();
    const progress: RestoreProgress[] = [];
    const result = await restore(store, topic, 0, (p) => progress.push(p));
    expect(await contents(store)).toEqual(finalState(changes));
    expect(await store.checkpoint()).toBe(end);
    expect(result).toMatchObject({ restored: 1000, startOffset: 0n, endOffset: end, offset: end });
    const offsets = progress.map((p) => p.offset);
    expect(offsets[0]).toBe(0n);
    expect(offsets.at(-1)).toBe(end);
    expect([...offsets].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(offsets);
    expect(progress.length).toBeGreaterThanOrEqual(1000 / 50);
  });

  it('resumes from a checkpoint in the middle', async () => {
    const topic = await newChangelog();
    const first = someChanges(300, 40, 0, 'a');
    const middle = await appendChanges(kafka, topic, 0, first);
    const store = await openStore();
    await restore(store, topic);
    expect(await store.checkpoint()).toBe(middle);

    const second = someChanges(200, 60, 5, 'b');
    const end = await appendChanges(kafka, topic, 0, second);
    const result = await restore(store, topic);
    expect(result).toMatchObject({ startOffset: middle, restored: 200, endOffset: end, cleared: false });
    expect(await contents(store)).toEqual(finalState([...first, ...second]));
  });

  it('restores a compacted changelog, from the start and from a checkpoint inside the cleaned range', async () => {
    const topic = await newChangelog();
    const first = someChanges(400, 30, 4, 'a');
    await appendChanges(kafka, topic, 0, first);
    const early = await openStore('early');
    await restore(early, topic);
    const second = someChanges(400, 50, 3, 'b');
    const end = await appendChanges(kafka, topic, 0, second);

    const [cleaned] = await t.broker.hooks.compact({ topic });
    expect(cleaned).toBeDefined();
    const expected = finalState([...first, ...second]);

    const fresh = await openStore('fresh');
    const full = await restore(fresh, topic);
    expect(await contents(fresh)).toEqual(expected);
    expect(full.restored).toBeLessThan(800);
    expect(await fresh.checkpoint()).toBe(end);

    const resumed = await restore(early, topic);
    expect(resumed.cleared).toBe(false);
    expect(await contents(early)).toEqual(expected);
    expect(await early.checkpoint()).toBe(end);

    // Once delete.retention.ms has passed the cleaner drops the tombstones too.
    await t.broker.hooks.compact({ topic, now: Date.now() + 2 * 86_400_000 });
    const late = await openStore('late');
    const withoutTombstones = await restore(late, topic);
    expect(withoutTombstones.restored).toBe(Object.keys(expected).length);
    expect(await contents(late)).toEqual(expected);
  });

  it('restores a transactional changelog without the aborted transactions', async () => {
    const topic = await newChangelog();
    const producer = kafka.producer({
      transactionalId: `${topic}-writer`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    const committed: Change[] = [];
    let afterLastCommittedRecord = 0n;
    for (let round = 0; round < 6; round++) {
      const changes = someChanges(20, 15, round % 2 === 0 ? 6 : 0, `r${round}-`);
      const tx = await producer.transaction();
      const [meta] = await tx.send({
        topic,
        messages: changes.map(([key, value]) => ({ key, value, partition: 0 })),
      });
      if (round % 3 === 1) {
        await tx.abort();
      } else {
        await tx.commit();
        committed.push(...changes);
        afterLastCommittedRecord = BigInt(meta!.baseOffset!) + 20n;
      }
    }
    // The last transaction commits: the log ends with its marker.
    await producer.disconnect();
    const high = (await reader.offsets(topic, 0)).endOffset;
    expect(high).toBe(afterLastCommittedRecord + 1n);

    const store = await openStore();
    const result = await restore(store, topic);
    expect(await contents(store)).toEqual(finalState(committed));
    expect(result.restored).toBe(committed.length);
    expect(await store.checkpoint()).toBe(high);

    // The checkpoint a task records after committing is the offset after its last record, where
    // the commit marker sits: restoring from there reads the marker alone and moves past it.
    await store.write([], afterLastCommittedRecord);
    const again = await restore(store, topic);
    expect(again).toMatchObject({ restored: 0, startOffset: afterLastCommittedRecord, cleared: false });
    expect(await store.checkpoint()).toBe(high);
    expect(await contents(store)).toEqual(finalState(committed));
  });

  it('moves past an aborted transaction at the end of the log, which reads as nothing', async () => {
    const topic = await newChangelog();
    await appendChanges(kafka, topic, 0, [['a', '1']]);
    const store = await openStore();
    await restore(store, topic);
    expect(await store.checkpoint()).toBe(1n);
    const producer = kafka.producer({
      transactionalId: `${topic}-writer`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    const tx = await producer.transaction();
    await tx.send({ topic, messages: [{ key: 'a', value: 'aborted', partition: 0 }] });
    await tx.abort();
    await producer.disconnect();
    // Offsets 1 (aborted record) and 2 (abort marker): KafkaJS hands nothing to eachBatch.
    const result = await restore(store, topic);
    expect(result).toMatchObject({ restored: 0, startOffset: 1n, endOffset: 3n });
    expect(await contents(store)).toEqual({ a: '1' });
    expect(await store.checkpoint()).toBe(3n);
  });

  it('rebuilds what a task wrote through a TransactionalStore and its changelog transactions', async () => {
    const topic = await newChangelog();
    const producer = kafka.producer({
      transactionalId: `${topic}-task`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    const live = await openStore('live');
    const tx = new TransactionalStore(live);
    for (let round = 0; round < 8; round++) {
      for (let i = 0; i < 25; i++) {
        const key = `order-${(round * 7 + i) % 40}`;
        if (i % 6 === 5) tx.delete(key);
        else tx.put(key, Buffer.from(`r${round}-${i}`));
      }
      const writes = tx.pendingWrites();
      const kafkaTx = await producer.transaction();
      const [meta] = await kafkaTx.send({
        topic,
        messages: writes.map(({ key, value }) => ({ key, value, partition: 0 })),
      });
      if (round === 3) {
        await kafkaTx.abort();
        tx.abort();
      } else {
        await kafkaTx.commit();
        await tx.commit(BigInt(meta!.baseOffset!) + BigInt(writes.length));
      }
    }
    await producer.disconnect();

    const rebuilt = await openStore('rebuilt');
    await restore(rebuilt, topic);
    expect(await contents(rebuilt)).toEqual(await contents(live));
    // The live store's checkpoint sits on the last commit marker; its restore moves past it.
    const caughtUp = await restore(live, topic);
    expect(caughtUp.restored).toBe(0);
    expect(await live.checkpoint()).toBe(await rebuilt.checkpoint());
  });

  it('clears the store and restores everything when its checkpoint is beyond the end', async () => {
    const topic = await newChangelog();
    const changes = someChanges(50, 10);
    const end = await appendChanges(kafka, topic, 0, changes);
    const store = await openStore();
    await store.write([{ key: 'left-over', value: Buffer.from('x') }], end + 100n);
    const result = await restore(store, topic);
    expect(result).toMatchObject({
      cleared: true,
      previousCheckpoint: end + 100n,
      startOffset: 0n,
      restored: 50,
    });
    expect(await contents(store)).toEqual(finalState(changes));
  });

  it('restores two partitions of a changelog at the same time', async () => {
    const topic = await newChangelog(2);
    const zero = someChanges(600, 80, 9, 'p0-');
    const one = someChanges(500, 70, 0, 'p1-');
    await Promise.all([appendChanges(kafka, topic, 0, zero), appendChanges(kafka, topic, 1, one)]);
    const [store0, store1] = [await openStore('task-0'), await openStore('task-1')];
    const [r0, r1] = await Promise.all([restore(store0, topic, 0), restore(store1, topic, 1)]);
    expect(r0.restored).toBe(600);
    expect(r1.restored).toBe(500);
    expect(await contents(store0)).toEqual(finalState(zero));
    expect(await contents(store1)).toEqual(finalState(one));
  });

  it('resolves at once for an empty partition', async () => {
    const topic = await newChangelog();
    const store = await openStore();
    const started = Date.now();
    const result = await restore(store, topic);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result).toMatchObject({ restored: 0, startOffset: 0n, endOffset: 0n });
    expect(await store.checkpoint()).toBe(0n);
  });
});
