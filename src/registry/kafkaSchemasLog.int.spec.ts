import { ConfigResourceTypes } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consumeAll } from '../../test/support/consumeAll.js';
import { startTestBroker, type TestBroker } from '../../test/support/embeddedBroker.js';
import { startTestRegistry } from '../../test/support/embeddedRegistry.js';
import pino from 'pino';
import { KafkaSchemasLog } from './kafkaSchemasLog.js';
import { schemasLogContract } from './testing/schemasLogContract.js';

schemasLogContract('KafkaSchemasLog', async () => {
  const contractBroker = await startTestBroker();
  const producer = contractBroker.kafka().producer();
  let created = false;
  return {
    open: () =>
      new KafkaSchemasLog({
        brokers: [contractBroker.broker.bootstrap],
        topic: '_schemas',
        clientId: 'kes-registry-test',
        initTimeoutMs: 30_000,
        writeTimeoutMs: 10_000,
        logger: pino({ level: process.env.KES_TEST_LOG_LEVEL ?? 'silent' }),
      }),
    async writeRaw(key, value) {
      if (!created) {
        await producer.connect();
        created = true;
      }
      await producer.send({ topic: '_schemas', messages: [{ key, value }] });
    },
    async close() {
      if (created) await producer.disconnect();
      await contractBroker.stop();
    },
  };
});

let broker: TestBroker;
beforeEach(async () => {
  broker = await startTestBroker();
});
afterEach(() => broker.stop());

const post = (url: string, body: unknown) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify(body),
  }).then((r) => r.json());

describe('the _schemas topic', () => {
  it('is created with one partition and cleanup.policy=compact', async () => {
    const registry = await startTestRegistry(broker);
    await registry.close();
    const admin = broker.kafka().admin();
    await admin.connect();
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: ['_schemas'] });
      expect(metadata.topics[0]!.partitions).toHaveLength(1);
      const configs = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: '_schemas', configNames: ['cleanup.policy'] }],
      });
      expect(configs.resources[0]!.configEntries[0]!.configValue).toBe('compact');
    } finally {
      await admin.disconnect();
    }
  });

  it('holds records in Confluent’s format: JSON keys and values', async () => {
    const registry = await startTestRegistry(broker);
    await post(`${registry.url}/subjects/s/versions`, { schema: '"string"' });
    await fetch(`${registry.url}/config/s`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ compatibility: 'FULL' }),
    });
    await fetch(`${registry.url}/subjects/s`, { method: 'DELETE' });
    await registry.close();
    const records = (await consumeAll(broker.kafka(), '_schemas', 5)).filter(
      (r) => !r.key!.includes('"NOOP"'),
    );
    expect(records.map((r) => [r.key, r.value])).toEqual([
      [
        '{"keytype":"SCHEMA","subject":"s","version":1,"magic":1}',
        '{"subject":"s","version":1,"id":1,"schema":"\\"string\\"","deleted":false}',
      ],
      ['{"keytype":"CONFIG","subject":"s","magic":0}', '{"compatibilityLevel":"FULL"}'],
      ['{"keytype":"DELETE_SUBJECT","subject":"s","magic":0}', '{"subject":"s","version":1}'],
      ['{"keytype":"CONFIG","subject":"s","magic":0}', null],
    ]);
  });

  it('replays records another registry wrote, skipping what it does not know', async () => {
    const producer = broker.kafka().producer();
    await producer.connect();
    const schema = JSON.stringify({ type: 'record', name: 'Legacy', fields: [{ name: 'a', type: 'int' }] });
    await producer.send({
      topic: '_schemas',
      messages: [
        { key: '{"keytype":"CONFIG","subject":null,"magic":0}', value: '{"compatibilityLevel":"FULL"}' },
        { key: '{"keytype":"MODE","subject":null,"magic":0}', value: '{"mode":"READWRITE"}' },
        {
          key: '{"keytype":"SCHEMA","subject":"legacy-value","version":1,"magic":1}',
          value: JSON.stringify({
            subject: 'legacy-value',
            version: 1,
            id: 41,
            schema,
            deleted: false,
            md5: 'x',
          }),
        },
        { key: '{"keytype":"NOOP","magic":0}', value: null },
      ],
    });
    await producer.disconnect();
    const registry = await startTestRegistry(broker);
    try {
      expect(await (await fetch(`${registry.url}/config`)).json()).toEqual({ compatibilityLevel: 'FULL' });
      expect(await (await fetch(`${registry.url}/subjects/legacy-value/versions/1`)).json()).toMatchObject({
        id: 41,
      });
      // The next id is above the highest seen.
      expect(await post(`${registry.url}/subjects/next/versions`, { schema: '"long"' })).toEqual({ id: 42 });
    } finally {
      await registry.close();
    }
  });

  it('refuses to start on a topic with more than one partition', async () => {
    const admin = broker.kafka().admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'wide', numPartitions: 2 }] });
    await admin.disconnect();
    await expect(startTestRegistry(broker, { topic: 'wide' })).rejects.toThrow(
      'wide must have exactly one partition, it has 2',
    );
  });

  it('answers 50001 when the broker is gone, once the client gives up', async () => {
    const registry = await startTestRegistry(broker, { writeTimeoutMs: 2000 });
    await broker.broker.close();
    const answer = await Promise.race([
      post(`${registry.url}/subjects/s/versions`, { schema: '"int"' }),
      new Promise((resolve) => setTimeout(() => resolve('no answer'), 60_000)),
    ]);
    expect(answer).toMatchObject({ error_code: expect.any(Number) });
    expect((answer as { error_code: number }).error_code).toBe(50001);
    await registry.close();
    await broker.restart();
  });
});
