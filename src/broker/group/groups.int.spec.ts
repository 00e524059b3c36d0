import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type Admin,
  AssignerProtocol,
  type Consumer,
  type ConsumerConfig,
  Kafka,
  logLevel,
  type Producer,
} from 'kafkajs';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BrokerHandle, startBroker } from '../index.js';
import { spawnBroker } from '../../../test/support/brokerProcess.js';
import { spawnScript } from '../../../test/support/spawnScript.js';

/**
 * Consumer groups end to end: real KafkaJS consumers and admin against the embedded broker over
 * TCP. Short session timeouts and no initial rebalance delay keep each test to seconds.
 */

const PARTITIONS = 8;
const logger = pino({ level: process.env.KES_TEST_LOG_LEVEL ?? 'silent' });
const dirs: string[] = [];
const cleanups: (() => Promise<unknown>)[] = [];
let broker: BrokerHandle;
let admin: Admin;
let producer: Producer;

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kes-groups-'));
  dirs.push(dir);
  return dir;
}

const brokerOptions = (dataDir: string) => ({
  port: 0,
  dataDir,
  groupInitialRebalanceDelayMs: 0,
  groupMinSessionTimeoutMs: 1000,
  logger,
});

const client = (clientId: string, bootstrap = broker.bootstrap) =>
  new Kafka({ clientId, brokers: [bootstrap], logLevel: logLevel.NOTHING });

beforeAll(async () => {
  broker = await startBroker(brokerOptions(tempDir()));
  admin = client('groups-admin').admin();
  await admin.connect();
  producer = client('groups-producer').producer();
  await producer.connect();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

afterAll(async () => {
  await producer.disconnect();
  await admin.disconnect();
  await broker.close();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

let topics = 0;
async function newTopic(target: Admin = admin): Promise<string> {
  const topic = `groups-${++topics}`;
  await target.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: PARTITIONS }] });
  return topic;
}

/** `count` messages on every partition, valued "<partition>:<index>" from index `from`. */
async function produce(topic: string, count: number, from = 0): Promise<void> {
  const messages = Array.from({ length: PARTITIONS }, (_, partition) =>
    Array.from({ length: count }, (_, i) => ({ partition, value: `${partition}:${from + i}` })),
  ).flat();
  await producer.send({ topic, messages });
}

interface Received {
  member: string;
  partition: number;
  offset: string;
  value: string;
}

const consumerConfig: Omit<ConsumerConfig, 'groupId'> = {
  sessionTimeout: 6000,
  heartbeatInterval: 500,
  rebalanceTimeout: 10_000,
  maxWaitTimeInMs: 100,
};

/** A running consumer whose client id is its name, recording what it receives. */
async function startConsumer(
  name: string,
  groupId: string,
  topic: string,
  received: Received[],
): Promise<Consumer> {
  const consumer = client(name).consumer({ groupId, ...consumerConfig });
  cleanups.push(() => consumer.disconnect());
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      received.push({ member: name, partition, offset: message.offset, value: message.value!.toString() });
    },
  });
  return consumer;
}

async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 30_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/**
 * Waits until the broker reports the group Stable with `members` members whose assignments
 * cover every partition once; returns client id → partitions.
 */
function stableAssignment(groupId: string, topic: string, members: number): Promise<Map<string, number[]>> {
  return waitFor(`${groupId} stable with ${members} members`, async () => {
    const [group] = (await admin.describeGroups([groupId])).groups;
    if (group?.state !== 'Stable' || group.members.length !== members) return undefined;
    const assignment = new Map(
      group.members.map((m) => [
        m.clientId,
        AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment[topic] ?? [],
      ]),
    );
    const all = [...assignment.values()].flat();
    return all.length === PARTITIONS && new Set(all).size === PARTITIONS ? assignment : undefined;
  });
}

async function receivedAll(received: Received[], count: number): Promise<void> {
  await waitFor(`${count} messages`, () => (received.length >= count ? true : undefined));
  // Long enough for a duplicate to show up.
  await sleep(1000);
  expect(received).toHaveLength(count);
  expect(new Set(received.map((r) => `${r.partition}:${r.offset}`)).size).toBe(count);
}

const committed = async (groupId: string, topic: string, target: Admin = admin) =>
  (await target.fetchOffsets({ groupId, topics: [topic] }))[0]!.partitions
    .sort((a, b) => a.partition - b.partition)
    .map((p) => p.offset);

describe('consumer groups with KafkaJS', () => {
  it('a 3-member group splits 8 partitions and consumes everything exactly once', async () => {
    const topic = await newTopic();
    const received: Received[] = [];
    for (const name of ['a', 'b', 'c']) await startConsumer(name, 'split', topic, received);
    const assignment = await stableAssignment('split', topic, 3);
    expect([...assignment.values()].map((p) => p.length).sort()).toEqual([2, 3, 3]);

    await produce(topic, 50);
    await receivedAll(received, 50 * PARTITIONS);
    for (const r of received) expect(assignment.get(r.member)).toContain(r.partition);
  });

  it('when a member leaves, the other two take all partitions', async () => {
    const topic = await newTopic();
    const received: Received[] = [];
    const consumers = [];
    for (const name of ['a', 'b', 'c']) consumers.push(await startConsumer(name, 'leave', topic, received));
    await stableAssignment('leave', topic, 3);

    const leftAt = Date.now();
    await consumers[2]!.disconnect();
    const after = await stableAssignment('leave', topic, 2);
    expect(Date.now() - leftAt).toBeLessThan(15_000);
    expect([...after.keys()].sort()).toEqual(['a', 'b']);

    await produce(topic, 20);
    await receivedAll(received, 20 * PARTITIONS);
    expect(received.every((r) => after.get(r.member)?.includes(r.partition))).toBe(true);
  });

  it('a member killed without leaving is evicted after its session timeout', async () => {
    const topic = await newTopic();
    const child = spawnScript(path.join(import.meta.dirname, 'testing', 'consumerProcess.ts'), [
      broker.bootstrap,
      'killed',
      topic,
    ]);
    cleanups.push(() => child.kill());
    await child.waitForLine((line) => line.event === 'join');
    const received: Received[] = [];
    for (const name of ['a', 'b']) await startConsumer(name, 'killed', topic, received);
    const before = await stableAssignment('killed', topic, 3);
    expect(before.get('child-consumer')?.length).toBeGreaterThan(0);

    const killedAt = Date.now();
    await child.kill();
    const after = await stableAssignment('killed', topic, 2);
    const evictedAfter = Date.now() - killedAt;
    // Its session timeout is 6 s; the last heartbeat may precede the kill by one interval.
    expect(evictedAfter).toBeGreaterThan(4500);
    expect(evictedAfter).toBeLessThan(25_000);
    expect([...after.keys()].sort()).toEqual(['a', 'b']);

    await produce(topic, 10);
    await receivedAll(received, 10 * PARTITIONS);
  });

  it('a restarted member resumes from the committed offsets', async () => {
    const topic = await newTopic();
    await produce(topic, 10);
    const firstRun: Received[] = [];
    const first = await startConsumer('first', 'resume', topic, firstRun);
    await receivedAll(firstRun, 10 * PARTITIONS);
    await waitFor('commits', async () =>
      (await committed('resume', topic)).every((o) => o === '10') ? true : undefined,
    );
    await first.disconnect();

    await produce(topic, 10, 10);
    const secondRun: Received[] = [];
    await startConsumer('second', 'resume', topic, secondRun);
    await receivedAll(secondRun, 10 * PARTITIONS);
    expect(secondRun.every((r) => Number(r.offset) >= 10 && Number(r.value.split(':')[1]) >= 10)).toBe(true);
  });

  it('admin: describe, list, fetch, set and reset offsets, delete', async () => {
    const topic = await newTopic();
    const received: Received[] = [];
    const consumer = await startConsumer('solo', 'admin', topic, received);
    await stableAssignment('admin', topic, 1);

    const [described] = (await admin.describeGroups(['admin'])).groups;
    expect(described).toMatchObject({
      groupId: 'admin',
      errorCode: 0,
      state: 'Stable',
      protocolType: 'consumer',
      protocol: 'RoundRobinAssigner',
      members: [expect.objectContaining({ clientId: 'solo', clientHost: '/127.0.0.1' })],
    });
    expect((await admin.listGroups()).groups).toContainEqual({ groupId: 'admin', protocolType: 'consumer' });
    await expect(admin.deleteGroups(['admin'])).rejects.toMatchObject({
      groups: [expect.objectContaining({ groupId: 'admin', errorCode: 68 })],
    });

    await produce(topic, 5);
    await receivedAll(received, 5 * PARTITIONS);
    await waitFor('commits', async () =>
      (await committed('admin', topic)).every((o) => o === '5') ? true : undefined,
    );
    await consumer.disconnect();
    expect((await admin.describeGroups(['admin'])).groups[0]).toMatchObject({ state: 'Empty', members: [] });
    // No topics: everything the group committed (OffsetFetch with null topics).
    const all = await admin.fetchOffsets({ groupId: 'admin' });
    expect(all.map((t) => [t.topic, t.partitions.length])).toEqual([[topic, PARTITIONS]]);

    await admin.setOffsets({ groupId: 'admin', topic, partitions: [{ partition: 0, offset: '2' }] });
    expect(await committed('admin', topic)).toEqual(['2', '5', '5', '5', '5', '5', '5', '5']);
    // KafkaJS commits the -2 ("earliest") it seeks to, as it does against Kafka.
    await admin.resetOffsets({ groupId: 'admin', topic, earliest: true });
    expect(await committed('admin', topic)).toEqual(Array(PARTITIONS).fill('-2'));

    expect(await admin.deleteGroups(['admin'])).toEqual([
      expect.objectContaining({ groupId: 'admin', errorCode: 0 }),
    ]);
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain('admin');
    expect(await committed('admin', topic)).toEqual(Array(PARTITIONS).fill('-1'));
    await expect(admin.deleteGroups(['admin'])).rejects.toMatchObject({
      groups: [expect.objectContaining({ groupId: 'admin', errorCode: 69 })],
    });
  });

  it('committed offsets survive a kill -9 of the broker and a restart', async () => {
    const dataDir = tempDir();
    const child = await spawnBroker(dataDir, 0, ['--initial-rebalance-delay-ms', '0']);
    cleanups.push(async () => void (await child.kill('SIGKILL')));
    const { bootstrap } = child;
    const childAdmin = client('restart-admin', bootstrap).admin();
    await childAdmin.connect();
    const topic = await newTopic(childAdmin);
    const partitions = Array.from({ length: PARTITIONS }, (_, partition) => ({
      partition,
      offset: String(partition * 7),
    }));
    await childAdmin.setOffsets({ groupId: 'durable', topic, partitions });
    const expected = partitions.map((p) => p.offset);
    expect(await committed('durable', topic, childAdmin)).toEqual(expected);
    await childAdmin.disconnect();
    await child.kill('SIGKILL');

    for (let restart = 0; restart < 2; restart++) {
      const restarted = await startBroker(brokerOptions(dataDir));
      const restartedAdmin = client('restart-admin', restarted.bootstrap).admin();
      try {
        await restartedAdmin.connect();
        expect(await committed('durable', topic, restartedAdmin)).toEqual(expected);
        expect((await restartedAdmin.describeGroups(['durable'])).groups[0]).toMatchObject({
          state: 'Empty',
          protocolType: 'consumer',
        });
      } finally {
        await restartedAdmin.disconnect();
        await restarted.close();
      }
    }
  });
});
