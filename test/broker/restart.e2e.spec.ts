import * as fs from 'node:fs';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { type BrokerProcess, spawnBroker } from '../support/brokerProcess.js';
import { consumeAll } from '../support/consumeAll.js';
import { startTestBroker } from '../support/embeddedBroker.js';
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
});
