import * as fs from 'node:fs';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { InitProducerId } from '../../src/broker/protocol/messages/initProducerId.js';
import { Produce } from '../../src/broker/protocol/messages/produce.js';
import { encodeBatch } from '../../src/broker/protocol/recordBatch.js';
import { type BrokerProcess, spawnBroker } from '../support/brokerProcess.js';
import { consumeAll } from '../support/consumeAll.js';
import { startTestBroker } from '../support/embeddedBroker.js';
import { RawClient } from '../support/rawClient.js';
import { tempDir } from '../support/tempDir.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const client = (bootstrap: string, retries = 10) =>
  new Kafka({
    clientId: 'restart-test',
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { retries },
  });

describe('broker restarts', () => {
  it('keeps records, topic configs and committed offsets across a clean stop', async () => {
    const t = await startTestBroker();
    cleanups.push(() => t.stop());
    const admin = t.kafka().admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: 'kept', numPartitions: 3, configEntries: [{ name: 'retention.ms', value: '-1' }] }],
    });
    const producer = t.kafka().producer();
    await producer.connect();
    for (let i = 0; i < 30; i++)
      await producer.send({ topic: 'kept', messages: [{ key: `k${i}`, value: `v${i}` }] });
    await producer.disconnect();
    const before = await consumeAll(t.kafka(), 'kept', 30, { groupId: 'kept-group' });
    const offsetsBefore = await admin.fetchOffsets({ groupId: 'kept-group', topics: ['kept'] });
    await admin.disconnect();

    await t.restart();

    const admin2 = t.kafka().admin();
    await admin2.connect();
    expect(await admin2.fetchOffsets({ groupId: 'kept-group', topics: ['kept'] })).toEqual(offsetsBefore);
    const configs = await admin2.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 2, name: 'kept' }],
    });
    expect(
      configs.resources[0]!.configEntries.find((e) => e.configName === 'retention.ms')!.configValue,
    ).toBe('-1');
    const offsets = await admin2.fetchTopicOffsets('kept');
    expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(30);
    await admin2.disconnect();
    const after = await consumeAll(t.kafka(), 'kept', 30);
    const key = (m: { partition: number; offset: string }) => `${m.partition}:${m.offset}`;
    expect(after.map((m) => `${key(m)}=${m.value}`).sort()).toEqual(
      before.map((m) => `${key(m)}=${m.value}`).sort(),
    );
  });

  it('drops offsets of a topic whose files are gone at start (a crash during topic deletion)', async () => {
    const t = await startTestBroker();
    cleanups.push(() => t.stop());
    const admin = t.kafka().admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'doomed', numPartitions: 1 }] });
    await admin.setOffsets({
      groupId: 'doomed-group',
      topic: 'doomed',
      partitions: [{ partition: 0, offset: '0' }],
    });
    await admin.disconnect();
    await t.broker.close();
    // The topic directory vanished, but the offsets' removal never reached the journal.
    fs.rmSync(path.join(t.dataDir, 'topics', 'doomed'), { recursive: true });
    await t.restart();
    const admin2 = t.kafka().admin();
    await admin2.connect();
    await admin2.createTopics({ topics: [{ topic: 'doomed', numPartitions: 1 }] });
    const offsets = await admin2.fetchOffsets({ groupId: 'doomed-group', topics: ['doomed'] });
    await admin2.disconnect();
    expect(offsets[0]!.partitions).toEqual([{ partition: 0, offset: '-1', metadata: null }]);
  });

  it('loses no acknowledged record when the broker process is killed with SIGKILL during produce', async () => {
    const dir = tempDir('kes-kill-');
    cleanups.push(() => dir.remove());
    let broker: BrokerProcess = await spawnBroker(dir.path);
    cleanups.push(async () => void (await broker.kill('SIGKILL')));
    const port = broker.port;

    const admin = client(broker.bootstrap).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'durable', numPartitions: 4 }] });
    await admin.disconnect();

    // A group's committed offsets, to check after the crash.
    const admin2 = client(broker.bootstrap).admin();
    await admin2.connect();
    await admin2.setOffsets({
      groupId: 'durable-group',
      topic: 'durable',
      partitions: [
        { partition: 0, offset: '3' },
        { partition: 2, offset: '5' },
      ],
    });
    await admin2.disconnect();

    // Keep sending; a batch counts as acknowledged only when its send resolved.
    const ackedValues: string[] = [];
    const producer = client(broker.bootstrap, 0).producer({ allowAutoTopicCreation: false });
    await producer.connect();
    let sent = 0;
    let stop = false;
    const sending = (async () => {
      while (!stop) {
        const batch = Array.from({ length: 50 }, () => ({ key: `k${sent % 97}`, value: `value-${sent++}` }));
        try {
          await producer.send({ topic: 'durable', acks: -1, messages: batch });
          ackedValues.push(...batch.map((m) => m.value));
        } catch {
          return; // the broker went away mid-request: this batch was not acknowledged
        }
      }
    })();

    await new Promise((r) => setTimeout(r, 1500));
    expect(ackedValues.length).toBeGreaterThan(100);
    await broker.kill('SIGKILL');
    stop = true;
    await sending;
    await producer.disconnect().catch(() => {});

    broker = await spawnBroker(dir.path, port);
    const admin3 = client(broker.bootstrap).admin();
    await admin3.connect();
    const committed = await admin3.fetchOffsets({ groupId: 'durable-group', topics: ['durable'] });
    await admin3.disconnect();
    expect(committed[0]!.partitions.sort((a, b) => a.partition - b.partition).map((p) => p.offset)).toEqual([
      '3',
      '-1',
      '5',
      '-1',
    ]);
    const all = await consumeAll(client(broker.bootstrap), 'durable', ackedValues.length, {
      timeoutMs: 60_000,
    });
    const stored = new Set(all.map((m) => m.value));
    const missing = ackedValues.filter((v) => !stored.has(v));
    expect(missing).toEqual([]);
    // Offsets are dense per partition: no holes and no duplicates after recovery.
    for (const partition of [0, 1, 2, 3]) {
      const offsets = all.filter((m) => m.partition === partition).map((m) => Number(m.offset));
      expect(offsets).toEqual(offsets.map((_, i) => i));
    }
    expect(new Set(all.map((m) => m.value)).size).toBe(all.length);
  });

  it('keeps producer and transaction state across a SIGKILL: commits kept, the open transaction resolved, retries deduplicated', async () => {
    const dir = tempDir('kes-kill-txn-');
    cleanups.push(() => dir.remove());
    let broker: BrokerProcess = await spawnBroker(dir.path);
    cleanups.push(async () => void (await broker.kill('SIGKILL')));
    const port = broker.port;
    const kafka = client(broker.bootstrap, 2);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'txn-durable', numPartitions: 1 }] });
    await admin.disconnect();

    const producer = kafka.producer({
      transactionalId: 'durable-txn',
      idempotent: true,
      transactionTimeout: 3000,
    });
    await producer.connect();
    const committed = await producer.transaction();
    await committed.send({ topic: 'txn-durable', messages: ['c1', 'c2', 'c3'].map((value) => ({ value })) });
    await committed.commit();
    const open = await producer.transaction();
    await open.send({ topic: 'txn-durable', messages: [{ value: 'open' }] });

    // An idempotent batch acknowledged before the crash...
    const raw = await RawClient.connect(port);
    const { producerId, producerEpoch } = await raw.request(InitProducerId, 1, {
      transactionalId: null,
      transactionTimeoutMs: 60_000,
      producerId: -1n,
      producerEpoch: -1,
    });
    const batch = () =>
      encodeBatch({
        records: [{ key: null, value: Buffer.from('idem') }],
        producerId,
        producerEpoch,
        baseSequence: 0,
      });
    const produce = async (c: RawClient) =>
      (
        await c.request(Produce, 7, {
          transactionalId: null,
          acks: -1,
          timeoutMs: 1000,
          topicData: [{ name: 'txn-durable', partitionData: [{ index: 0, records: await batch() }] }],
        })
      ).responses[0]!.partitionResponses[0]!;
    const before = await produce(raw);
    expect(before.errorCode).toBe(0);
    raw.close();

    await broker.kill('SIGKILL');
    await producer.disconnect().catch(() => {});
    broker = await spawnBroker(dir.path, port);

    // ...is recognised as a duplicate after the restart.
    const raw2 = await RawClient.connect(port);
    expect(await produce(raw2)).toMatchObject({ errorCode: 0, baseOffset: before.baseOffset });
    raw2.close();

    // The open transaction times out and is aborted; the committed one is all read_committed sees.
    const reader = client(broker.bootstrap);
    const visible = await consumeAll(reader, 'txn-durable', 4, { timeoutMs: 30_000 });
    expect(visible.map((m) => m.value)).toEqual(['c1', 'c2', 'c3', 'idem']);
    const everything = await consumeAll(reader, 'txn-durable', 5, { readUncommitted: true });
    expect(everything.map((m) => m.value)).toEqual(['c1', 'c2', 'c3', 'open', 'idem']);

    const successor = reader.producer({ transactionalId: 'durable-txn', idempotent: true });
    await successor.connect();
    const txn = await successor.transaction();
    await txn.send({ topic: 'txn-durable', messages: [{ value: 'after' }] });
    await txn.commit();
    await successor.disconnect();
    expect((await consumeAll(reader, 'txn-durable', 5)).map((m) => m.value)).toEqual([
      'c1',
      'c2',
      'c3',
      'idem',
      'after',
    ]);
  });
});
