import type { Kafka } from 'kafkajs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumeAll } from '../../test/support/consumeAll.js';
import { startTestBroker, type TestBroker } from '../../test/support/embeddedBroker.js';
import { tempDir } from '../../test/support/tempDir.js';
import { readTopic } from '../ops/readTopic.js';
import { applyTopology } from '../topology/applyTopology.js';
import type { Processor } from './processor.js';
import { startStreams } from './startStreams.js';
import { partitionForKey } from './partitioner.js';
import { counter, topology } from './testing/wordCounter.js';
import { TransientError } from './transientError.js';

let t: TestBroker;
let kafka: Kafka;
const logger = pino({ level: process.env.KES_TEST_LOG_LEVEL ?? 'silent' });
const dirs: ReturnType<typeof tempDir>[] = [];
const PARTITIONS = topology.topics.find((t) => t.name === 'words')!.partitions;

beforeAll(async () => {
  t = await startTestBroker({ autoCreateTopics: false });
  kafka = t.kafka('transient-wait-test');
  const admin = kafka.admin();
  await admin.connect();
  await applyTopology(admin, topology);
  await admin.disconnect();
});
afterAll(async () => {
  await t.stop();
  for (const d of dirs) d.remove();
});

/** The word counter, except that words starting with `ext-` need a service that may be down. */
function dependentCounter(service: { down: boolean }): Processor {
  return {
    ...counter,
    async process(record, context) {
      if (service.down && record.key?.startsWith('ext-')) {
        throw new TransientError('the payment service does not answer', 'the payment service');
      }
      return counter.process(record, context);
    },
  };
}

async function start(
  applicationId: string,
  processor: Processor,
  extra: { taskTimeoutMs?: number; onFatal?: (err: Error) => void } = {},
) {
  const dir = tempDir('kes-wait-');
  dirs.push(dir);
  const streams = await startStreams({
    kafka: t.kafka(applicationId),
    topology: { ...topology, applicationId },
    processors: new Map([['counter', processor]]),
    dataDir: dir.path,
    instanceId: applicationId,
    logger,
    sessionTimeoutMs: 6000,
    ...extra,
  });
  await streams.whenReady();
  return streams;
}

async function produce(words: string[]) {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: 'words', messages: words.map((w) => ({ key: w, value: w })) });
  await producer.disconnect();
}

async function until<T>(probe: () => T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const deadLettered = async (keys: readonly string[]) =>
  (await readTopic(kafka, 'counter.dlq')).filter((r) => keys.includes(r.message.key?.toString() ?? ''));

describe('a failure that passes', () => {
  it('pauses the task at the failing record, which is processed once the failure is over: none dead-lettered, none twice', async () => {
    const service = { down: true };
    const streams = await start('wait-a', dependentCounter(service));
    try {
      // Words of one partition: a plain one before the first that needs the service, and after it.
      const partition = partitionForKey('ext-a', PARTITIONS);
      const plain = Array.from({ length: 100 }, (_, i) => `plain-${i}`).filter(
        (w) => partitionForKey(w, PARTITIONS) === partition,
      );
      const [before, after] = plain as [string, string];
      const words = [before, 'ext-a', before, 'ext-a', after];
      await produce(words);
      const runner = streams.runners[0]!;
      const waiting = await until(
        () => (runner.waiting().length > 0 ? runner.waiting() : undefined),
        'a waiting task',
      );
      expect(waiting[0]).toMatchObject({ partition, waitingFor: 'the payment service' });
      expect(waiting[0]!.error).toMatch(/the payment service does not answer/);
      // Attempts go on with backoff; what preceded the failing record was written, once.
      await until(() => (runner.waiting()[0]!.attempts >= 3 ? true : undefined), 'three attempts');
      const counted = async (word: string) =>
        (await readTopic(kafka, 'word-counts'))
          .filter((r) => r.message.key?.toString() === word)
          .map((r) => r.message.value?.toString());
      expect(await counted(before)).toEqual(['1']);
      expect(await counted('ext-a')).toEqual([]);
      service.down = false;
      const counts = Object.fromEntries(
        (await consumeAll(kafka, 'word-counts', words.length)).map((m) => [m.key!, m.value!]),
      );
      expect(counts).toMatchObject({ 'ext-a': '2', [before]: '2', [after]: '1' });
      expect(await counted(before)).toEqual(['1', '2']);
      expect(await counted('ext-a')).toEqual(['1', '2']);
      expect(await deadLettered(words)).toEqual([]);
      await until(() => (runner.waiting().length === 0 ? true : undefined), 'no waiting task');
    } finally {
      await streams.close();
    }
  });

  it('stops the instance (onFatal) once a task has waited longer than its task timeout, skipping nothing', async () => {
    const fatal: Error[] = [];
    const streams = await start('wait-b', dependentCounter({ down: true }), {
      taskTimeoutMs: 1500,
      onFatal: (err) => void fatal.push(err),
    });
    try {
      await produce(['ext-timeout']);
      const err = await until(() => fatal[0], 'a fatal error', 30_000);
      expect(err.message).toMatch(
        /counter-\d+ waited \d+ ms for the payment service \(task timeout 1500 ms\)/,
      );
      expect(await deadLettered(['ext-timeout'])).toEqual([]);
    } finally {
      await streams.close();
    }
    // Started again with the service back (as a supervisor would), it reads on from that record.
    const again = await start('wait-b', dependentCounter({ down: false }));
    try {
      const counted = async () =>
        (await readTopic(kafka, 'word-counts'))
          .filter((r) => r.message.key?.toString() === 'ext-timeout')
          .map((r) => r.message.value?.toString());
      const deadline = Date.now() + 30_000;
      while ((await counted()).length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect(await counted()).toEqual(['1']);
    } finally {
      await again.close();
    }
  });
});
