import { type Admin, ConfigResourceTypes } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../support/embeddedBroker.js';

let t: TestBroker;
let admin: Admin;

beforeAll(async () => {
  t = await startTestBroker({ numPartitions: 2 });
  admin = t.kafka('admin-test').admin();
  await admin.connect();
});
afterAll(async () => {
  await admin.disconnect();
  await t.stop();
});

async function produce(topic: string, count: number, partition = 0) {
  const producer = t.kafka().producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: `v${i}`, partition })),
  });
  await producer.disconnect();
}

describe('KafkaJS admin against the embedded broker', () => {
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
    await expect(admin.createTopics({ topics: [{ topic: 'bad name!' }] })).rejects.toMatchObject({
      errors: [expect.objectContaining({ type: 'INVALID_TOPIC_EXCEPTION' })],
    });
    await expect(admin.createTopics({ topics: [{ topic: 'zero', numPartitions: 0 }] })).rejects.toMatchObject(
      {
        errors: [expect.objectContaining({ type: 'INVALID_PARTITIONS' })],
      },
    );
    expect(await admin.listTopics()).not.toContain('replicated');
  });

  it('describes topic configs with their values and sources', async () => {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: true,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: 'orders' }],
    });
    const entries = new Map(resources[0]!.configEntries.map((e) => [e.configName, e]));
    expect(entries.get('cleanup.policy')).toMatchObject({ configValue: 'compact', isDefault: false });
    expect(entries.get('retention.ms')).toMatchObject({ configValue: '3600000', isDefault: false });
    expect(entries.get('segment.bytes')).toMatchObject({ configValue: '1073741824', isDefault: true });
    // Synonyms as Kafka lists them: the broker's own default only where that config has one
    // (log.retention.ms has none, it falls back to log.retention.hours).
    const synonyms = (name: string) =>
      entries.get(name)!.configSynonyms.map((s) => [s.configName, s.configSource]);
    expect(synonyms('retention.ms')).toEqual([['retention.ms', 1]]);
    expect(synonyms('segment.bytes')).toEqual([['log.segment.bytes', 5]]);
    expect(synonyms('segment.ms')).toEqual([]);
    expect(entries.get('segment.ms')).toMatchObject({ configValue: '604800000', isDefault: true });

    const filtered = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: 'orders', configNames: ['cleanup.policy'] }],
    });
    expect(filtered.resources[0]!.configEntries.map((e) => e.configName)).toEqual(['cleanup.policy']);

    const broker = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.BROKER, name: '1' }],
    });
    const brokerEntries = new Map(
      broker.resources[0]!.configEntries.map((e) => [e.configName, e.configValue]),
    );
    expect(brokerEntries.get('num.partitions')).toBe('2');
    expect(brokerEntries.get('auto.create.topics.enable')).toBe('true');
  });

  it('reports offsets, deletes records, and resets offsets when a topic is deleted and re-created', async () => {
    await admin.createTopics({ topics: [{ topic: 'events', numPartitions: 1 }] });
    await produce('events', 10);
    expect(await admin.fetchTopicOffsets('events')).toEqual([
      expect.objectContaining({ partition: 0, offset: '10', low: '0', high: '10' }),
    ]);
    await admin.deleteTopicRecords({ topic: 'events', partitions: [{ partition: 0, offset: '4' }] });
    expect((await admin.fetchTopicOffsets('events'))[0]).toMatchObject({ low: '4', high: '10' });

    // A consumer from the beginning starts at the new log start.
    const consumer = t.kafka().consumer({ groupId: 'events-reader', maxWaitTimeInMs: 100 });
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
    await admin.createTopics({ topics: [{ topic: 'events', numPartitions: 1 }] });
    expect((await admin.fetchTopicOffsets('events'))[0]).toMatchObject({ low: '0', high: '0' });
    await produce('events', 1);
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
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: 'altered' }],
    });
    const entries = new Map(resources[0]!.configEntries.map((e) => [e.configName, e]));
    expect(entries.get('max.message.bytes')).toMatchObject({ configValue: '500', isDefault: false });
    // Left out of the new set: back to its default.
    expect(entries.get('retention.ms')).toMatchObject({ configValue: '604800000', isDefault: true });
    expect(t.broker.logs.get('altered')!.config.maxMessageBytes).toBe(500);
    await expect(
      admin.alterConfigs({
        validateOnly: false,
        resources: [
          { type: ConfigResourceTypes.TOPIC, name: 'altered', configEntries: [{ name: 'nope', value: '1' }] },
        ],
      }),
    ).rejects.toMatchObject({ type: 'INVALID_CONFIG' });
    await admin.disconnect();
    await t.restart();
    admin = t.kafka('admin-test').admin();
    await admin.connect();
    expect(t.broker.logs.get('altered')!.config.maxMessageBytes).toBe(500);
  });

  it('adds partitions, and refuses to lower the count', async () => {
    await admin.createTopics({ topics: [{ topic: 'growing', numPartitions: 2 }] });
    await admin.createPartitions({ topicPartitions: [{ topic: 'growing', count: 5 }] });
    expect((await admin.fetchTopicMetadata({ topics: ['growing'] })).topics[0]!.partitions).toHaveLength(5);
    await expect(
      admin.createPartitions({ topicPartitions: [{ topic: 'growing', count: 3 }] }),
    ).rejects.toMatchObject({ type: 'INVALID_PARTITIONS' });
    const producer = t.kafka().producer();
    await producer.connect();
    const [result] = await producer.send({ topic: 'growing', messages: [{ value: 'x', partition: 4 }] });
    await producer.disconnect();
    expect(result).toMatchObject({ partition: 4, baseOffset: '0' });
  });

  it('finds offsets by timestamp', async () => {
    await admin.createTopics({ topics: [{ topic: 'timed', numPartitions: 1 }] });
    const producer = t.kafka().producer();
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
    const noRetry = t.kafka('no-retry', 0).admin();
    await noRetry.connect();
    await expect(noRetry.deleteTopics({ topics: ['never-created'] })).rejects.toMatchObject({
      cause: expect.objectContaining({ type: 'UNKNOWN_TOPIC_OR_PARTITION' }),
    });
    await noRetry.disconnect();
  });
});
