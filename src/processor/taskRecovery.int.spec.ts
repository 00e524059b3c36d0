import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { consumeAll } from '../../test/support/consumeAll.js';
import { startTestBroker, type TestBroker } from '../../test/support/embeddedBroker.js';
import { tempDir } from '../../test/support/tempDir.js';
import { applyTopology } from '../topology/applyTopology.js';
import { startStreams, type StreamsHandle } from './startStreams.js';
import type { ProcessingGuarantee } from './streamTask.js';
import { counter, topology } from './testing/wordCounter.js';

/**
 * A task whose transaction fails in a way its producer cannot recover from (as when a broker
 * dies mid-transaction): what Kafka Streams calls a corrupted task. The task is opened again
 * with a new producer and reads its inputs again from the committed offsets, so the processor
 * goes on and every count is still applied exactly once.
 */
const END_TXN = 26;
const logger = pino({ level: process.env.KES_TEST_LOG_LEVEL ?? 'silent' });
const undo: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const step of undo.splice(0).reverse()) await step();
});

/** Waits (up to a minute) until the broker has injected every fault it was given. */
async function untilFaultsSpent(broker: TestBroker): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (broker.broker.faults.pending > 0 && Date.now() < deadline) await sleep(100);
  expect(broker.broker.faults.pending).toBe(0);
}

async function setUp(guarantee: ProcessingGuarantee = 'exactly_once'): Promise<{
  broker: TestBroker;
  streams: StreamsHandle;
  produce: (n: number) => Promise<void>;
}> {
  const broker = await startTestBroker({ autoCreateTopics: false });
  undo.push(() => broker.stop());
  const admin = broker.kafka('setup').admin();
  await admin.connect();
  await applyTopology(admin, topology);
  await admin.disconnect();
  const dir = tempDir('kes-recovery-');
  undo.push(() => dir.remove());
  // Few retries, so that a transaction gives up within seconds.
  const streams = await startStreams({
    kafka: broker.kafka('recovering', 2),
    topology,
    processors: new Map([['counter', counter]]),
    dataDir: dir.path,
    instanceId: 'recovering',
    guarantee,
    logger,
    sessionTimeoutMs: 6000,
  });
  undo.push(() => streams.close());
  await streams.whenReady();
  const producer = broker.kafka('words').producer();
  await producer.connect();
  undo.push(() => producer.disconnect());
  const vocabulary = ['apple', 'banana', 'cherry', 'date'];
  const produce = (n: number) =>
    producer
      .send({
        topic: 'words',
        messages: Array.from({ length: n }, (_, i) => ({ key: vocabulary[i % 4]!, value: 'w' })),
      })
      .then(() => undefined);
  return { broker, streams, produce };
}

describe('a task whose transaction can be neither committed nor aborted', () => {
  it('starts again with a new producer from its committed offsets: nothing lost, nothing twice', async () => {
    const { broker, streams, produce } = await setUp();
    await produce(20);
    expect(await consumeAll(broker.kafka(), 'word-counts', 20)).toHaveLength(20);

    // Every EndTxn fails for a while (the transaction coordinator unreachable): the commit gives
    // up, then the abort does, and KafkaJS's producer is left unusable.
    broker.broker.faults.add({ apiKey: END_TXN, action: 'close-before', times: 6 });
    await produce(20);
    await untilFaultsSpent(broker);
    await produce(20);

    // Each word counted 1..15 once, in order, in the committed output.
    const out = await consumeAll(broker.kafka(), 'word-counts', 60);
    const counts = new Map<string, string[]>();
    for (const m of out) counts.set(m.key!, [...(counts.get(m.key!) ?? []), m.value!]);
    const oneToFifteen = Array.from({ length: 15 }, (_, i) => String(i + 1));
    expect(Object.fromEntries(counts)).toEqual({
      apple: oneToFifteen,
      banana: oneToFifteen,
      cherry: oneToFifteen,
      date: oneToFifteen,
    });
    await streams.whenReady();
    expect(streams.isReady()).toBe(true);
  });
});

describe('a task at least once whose sends fail', () => {
  it('starts again with a new producer: no count is lost, and the processor goes on', async () => {
    const { broker, streams, produce } = await setUp('at_least_once');
    await produce(20);
    expect(await consumeAll(broker.kafka(), 'word-counts', 20)).toHaveLength(20);

    // The broker writes the counts but the answers are lost: the sends fail after being written.
    const PRODUCE = 0;
    broker.broker.faults.add({
      apiKey: PRODUCE,
      action: 'close-after',
      times: 6,
      match: (request) =>
        (request as { topicData: { name: string }[] }).topicData.some((t) => t.name === 'word-counts'),
    });
    await produce(20);
    await untilFaultsSpent(broker);
    await produce(20);

    // At least once: counts may repeat, but every count from 1 to 15 of every word is there, and
    // no later send was dropped as a repeat of a failed one.
    const out = await consumeAll(broker.kafka(), 'word-counts', 60);
    const seen = new Map<string, Set<string>>();
    for (const m of out) seen.set(m.key!, (seen.get(m.key!) ?? new Set()).add(m.value!));
    for (const word of ['apple', 'banana', 'cherry', 'date']) {
      const counts = seen.get(word) ?? new Set();
      expect(Array.from({ length: 15 }, (_, i) => String(i + 1)).filter((c) => !counts.has(c))).toEqual([]);
    }
    await streams.whenReady();
  });
});
