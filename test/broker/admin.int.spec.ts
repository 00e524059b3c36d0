import { type Admin, ConfigResourceTypes, type Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrokerTarget, forEachBroker } from '../support/brokerTargets.js';
import { startTestBroker, type TestBroker } from '../support/embeddedBroker.js';

/** KafkaJS's admin client, with the same assertions on the embedded broker and on Kafka. */

async function withAdmin<T>(kafka: Kafka, body: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await body(admin);
  } finally {
    await admin.disconnect();
  }
}

async function produce(kafka: Kafka, topic: string, count: number, partition = 0) {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: `v${i}`, partition })),
  });
  await producer.disconnect();
}

/** Kafka deletes a topic in the background: a create right after may still find it. */
async function createWhenGone(admin: Admin, topic: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] }).catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${topic} could not be re-created`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The first send the log refuses for its size: Kafka answers AlterConfigs once the controller has
 * the change, and each broker's log takes it a moment later, so a send right after may still be
 * taken. Resolves with the refusal; a send still taken after 10 s fails the test.
 */
async function refusedSend(send: () => Promise<unknown>): Promise<unknown> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const refusal = await send().then(
      () => undefined,
      (err: unknown) => err,
    );
    if (refusal !== undefined) return refusal;
    if (Date.now() > deadline) throw new Error('the log still takes what its config refuses');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const configsOf = async (admin: Admin, topic: string, configNames?: string[]) => {
  const { resources } = await admin.describeConfigs({
    includeSynonyms: true,
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, ...(configNames ? { configNames } : {}) }],
  });
  return new Map(resources[0]!.configEntries.map((e) => [e.configName, e]));
};

forEachBroker('KafkaJS admin', { numPartitions: 2 }, (target: BrokerTarget) => {
  let admin: Admin;
  beforeAll(async () => {
    admin = target.kafka('admin-test').admin();
    await admin.connect();
  });
  afterAll(() => admin.disconnect());

  it('creates topics with configs, and answers false to a duplicate create', async () => {
    const created = await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: 'orders',
          numPartitions: 4,
          configEntries: [
            { name: 'cleanup.policy', value: 'compact' },
            { name: 'retention.ms', value: '3600000' },
          ],
        },
      ],
    });
    expect(created).toBe(true);
    expect(await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 4 }] })).toBe(false);
    const metadata = await admin.fetchTopicMetadata({ topics: ['orders'] });
    expect(metadata.topics[0]!.partitions).toHaveLength(4);
    expect(metadata.topics[0]!.partitions.every((p) => p.leader === 1 && p.replicas.join() === '1')).toBe(
      true,
    );
    expect(await admin.listTopics()).toContain('orders');
  });

  it('describes the cluster: this node, as controller, and a cluster id that is a Kafka Uuid', async () => {
    const cluster = await admin.describeCluster();
    expect(cluster.brokers).toEqual([{ nodeId: 1, host: '127.0.0.1', port: target.port }]);
    expect(cluster.controller).toBe(1);
    // 16 bytes in URL-safe base64 without padding.
    expect(cluster.clusterId).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('uses the broker default partition count when none is given', async () => {
    await admin.createTopics({ topics: [{ topic: 'defaults' }] });
    const metadata = await admin.fetchTopicMetadata({ topics: ['defaults'] });
    expect(metadata.topics[0]!.partitions).toHaveLength(2);
  });

  it('refuses what one broker cannot do, with Kafka error codes', async () => {
    await expect(
      admin.createTopics({ topics: [{ topic: 'replicated', numPartitions: 1, replicationFactor: 3 }] }),
    ).rejects.toMatchObject({ errors: [expect.objectContaining({ type: 'INVALID_REPLICATION_FACTOR' })] });
    await expect(
      admin.createTopics({
        topics: [{ topic: 'bad-config', configEntries: [{ name: 'no.such.config', value: '1' }] }],
      }),
    ).rejects.toMatchObject({ errors: [expect.objectContaining({ type: 'INVALID_CONFIG' })] });
    await expect(
      admin.createTopics({
        topics: [{ topic: 'bad-value', configEntries: [{ name: 'retention.ms', value: 'soon' }] }],
      }),
    ).rejects.toMatchObject({ errors: [expect.objectContaining({ type: 'INVALID_CONFIG' })] });
    await expect(admin.createTopics({ topics: [{ topic: 'bad name!' }] })).rejects.toMatchObject({
      errors: [expect.objectContaining({ type: 'INVALID_TOPIC_EXCEPTION' })],
    });
    await expect(admin.createTopics({ topics: [{ topic: 'zero', numPartitions: 0 }] })).rejects.toMatchObject(
      { errors: [expect.objectContaining({ type: 'INVALID_PARTITIONS' })] },
    );
    expect(await admin.listTopics()).not.toContain('replicated');
  });

  it('describes topic configs with their values, sources and synonyms', async () => {
    await admin.createTopics({
      topics: [
        {
          topic: 'described',
          configEntries: [
            { name: 'cleanup.policy', value: 'compact' },
            { name: 'retention.ms', value: '3600000' },
          ],
        },
      ],
    });
    const entries = await configsOf(admin, 'described');
    expect(entries.get('cleanup.policy')).toMatchObject({ configValue: 'compact', isDefault: false });
    expect(entries.get('retention.ms')).toMatchObject({ configValue: '3600000', isDefault: false });
    expect(entries.get('segment.bytes')).toMatchObject({ configValue: '1073741824', isDefault: true });
    // Kafka 4 refuses records stamped more than an hour ahead by default.
    expect(entries.get('message.timestamp.after.max.ms')).toMatchObject({ configValue: '3600000' });
    expect(entries.get('max.message.bytes')).toMatchObject({ configValue: '1048588', isDefault: true });
    // The topic's own value, and no broker synonym where the broker setting has no value of its
    // own (log.retention.ms derives from log.retention.hours).
    expect(entries.get('retention.ms')!.configSynonyms).toEqual([
      { configName: 'retention.ms', configValue: '3600000', configSource: 1 },
    ]);
    expect(entries.get('segment.bytes')!.configSynonyms).toEqual([
      { configName: 'log.segment.bytes', configValue: '1073741824', configSource: 5 },
    ]);
    expect(entries.get('segment.ms')!.configSynonyms).toEqual([]);
    expect(entries.get('segment.ms')).toMatchObject({ configValue: '604800000', isDefault: true });
    // A config Kafka 4 removed is not listed.
    expect(entries.has('message.downconversion.enable')).toBe(false);

    const filtered = await configsOf(admin, 'described', ['cleanup.policy']);
    expect([...filtered.keys()]).toEqual(['cleanup.policy']);
    await expect(configsOf(admin, 'never-created')).rejects.toMatchObject({
      type: 'UNKNOWN_TOPIC_OR_PARTITION',
    });
  });

  it('describes the broker by its node id', async () => {
    const describe = (name: string, configNames: string[]) =>
      admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.BROKER, name, configNames }],
      });
    const broker = await describe('1', ['num.partitions', 'auto.create.topics.enable', 'node.id']);
    const values = new Map(broker.resources[0]!.configEntries.map((e) => [e.configName, e]));
    expect(values.get('num.partitions')).toMatchObject({ configValue: '2', readOnly: true });
    expect(values.get('auto.create.topics.enable')).toMatchObject({ configValue: 'false' });
    expect(values.get('node.id')).toMatchObject({ configValue: '1' });
  });

  it('reports offsets, deletes records, and resets offsets when a topic is deleted and re-created', async () => {
    const kafka = target.kafka();
    await admin.createTopics({ topics: [{ topic: 'events', numPartitions: 1 }] });
    await produce(kafka, 'events', 10);
    expect(await admin.fetchTopicOffsets('events')).toEqual([
      expect.objectContaining({ partition: 0, offset: '10', low: '0', high: '10' }),
    ]);
    await admin.deleteTopicRecords({ topic: 'events', partitions: [{ partition: 0, offset: '4' }] });
    expect((await admin.fetchTopicOffsets('events'))[0]).toMatchObject({ low: '4', high: '10' });

    // A consumer from the beginning starts at the new log start.
    const consumer = kafka.consumer({ groupId: 'events-reader', maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'events', fromBeginning: true });
    const seen: string[] = [];
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ message }) => {
            seen.push(message.offset);
            if (seen.length === 6) resolve();
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    expect(seen).toEqual(['4', '5', '6', '7', '8', '9']);

    await admin.deleteTopics({ topics: ['events'] });
    expect(await admin.listTopics()).not.toContain('events');
    await createWhenGone(admin, 'events');
    expect((await admin.fetchTopicOffsets('events'))[0]).toMatchObject({ low: '0', high: '0' });
    await produce(kafka, 'events', 1);
    expect((await admin.fetchTopicOffsets('events'))[0]).toMatchObject({ low: '0', high: '1' });
  });

  it("alters topic configs: the given set replaces the topic's own, and the log acts on it", async () => {
    await admin.createTopics({
      topics: [
        { topic: 'altered', numPartitions: 1, configEntries: [{ name: 'retention.ms', value: '1000' }] },
      ],
    });
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: 'altered',
          configEntries: [{ name: 'max.message.bytes', value: '500' }],
        },
      ],
    });
    const entries = await configsOf(admin, 'altered');
    expect(entries.get('max.message.bytes')).toMatchObject({ configValue: '500', isDefault: false });
    // Left out of the new set: back to its default.
    expect(entries.get('retention.ms')).toMatchObject({ configValue: '604800000', isDefault: true });
    const producer = target.kafka('altered', 0).producer();
    await producer.connect();
    expect(
      await refusedSend(() => producer.send({ topic: 'altered', messages: [{ value: 'x'.repeat(600) }] })),
    ).toMatchObject({ type: 'MESSAGE_TOO_LARGE' });
    await producer.disconnect();
    await expect(
      admin.alterConfigs({
        validateOnly: false,
        resources: [
          { type: ConfigResourceTypes.TOPIC, name: 'altered', configEntries: [{ name: 'nope', value: '1' }] },
        ],
      }),
    ).rejects.toMatchObject({ type: 'INVALID_CONFIG' });
  });

  it('adds partitions, and refuses to lower the count', async () => {
    await admin.createTopics({ topics: [{ topic: 'growing', numPartitions: 2 }] });
    await admin.createPartitions({ topicPartitions: [{ topic: 'growing', count: 5 }] });
    expect((await admin.fetchTopicMetadata({ topics: ['growing'] })).topics[0]!.partitions).toHaveLength(5);
    await expect(
      admin.createPartitions({ topicPartitions: [{ topic: 'growing', count: 3 }] }),
    ).rejects.toMatchObject({ type: 'INVALID_PARTITIONS' });
    const producer = target.kafka().producer();
    await producer.connect();
    const [result] = await producer.send({ topic: 'growing', messages: [{ value: 'x', partition: 4 }] });
    await producer.disconnect();
    expect(result).toMatchObject({ partition: 4, baseOffset: '0' });
  });

  it('finds offsets by timestamp', async () => {
    await admin.createTopics({ topics: [{ topic: 'timed', numPartitions: 1 }] });
    const producer = target.kafka().producer();
    await producer.connect();
    await producer.send({
      topic: 'timed',
      messages: [
        { value: 'a', timestamp: '1000' },
        { value: 'b', timestamp: '2000' },
        { value: 'c', timestamp: '3000' },
      ],
    });
    await producer.disconnect();
    expect(await admin.fetchTopicOffsetsByTimestamp('timed', 1500)).toEqual([{ partition: 0, offset: '1' }]);
    expect(await admin.fetchTopicOffsetsByTimestamp('timed', 3000)).toEqual([{ partition: 0, offset: '2' }]);
    // Later than every record: Kafka answers -1, which KafkaJS turns into the end offset.
    expect(await admin.fetchTopicOffsetsByTimestamp('timed', 4000)).toEqual([{ partition: 0, offset: '3' }]);
  });

  it('refuses to delete a topic that does not exist', async () => {
    // KafkaJS retries UNKNOWN_TOPIC_OR_PARTITION before giving up with it as the cause.
    await withAdmin(target.kafka('no-retry', 0), async (noRetry) => {
      await expect(noRetry.deleteTopics({ topics: ['never-created'] })).rejects.toMatchObject({
        cause: expect.objectContaining({ type: 'UNKNOWN_TOPIC_OR_PARTITION' }),
      });
    });
  });
});

// Embedded only: what the broker keeps on disk, seen through its own handle after a restart.
describe('embedded broker: altered configs survive a restart', () => {
  let t: TestBroker;
  beforeAll(async () => {
    t = await startTestBroker();
  });
  afterAll(() => t.stop());

  it('keeps the altered set', async () => {
    await withAdmin(t.kafka(), async (admin) => {
      await admin.createTopics({ topics: [{ topic: 'altered', numPartitions: 1 }] });
      await admin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: 'altered',
            configEntries: [{ name: 'max.message.bytes', value: '500' }],
          },
        ],
      });
    });
    expect(t.broker.logs.get('altered')!.config.maxMessageBytes).toBe(500);
    await t.restart();
    expect(t.broker.logs.get('altered')!.config.maxMessageBytes).toBe(500);
  });
});
