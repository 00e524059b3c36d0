import * as fs from 'node:fs';
import type { Kafka } from 'kafkajs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumeAll } from '../../test/support/consumeAll.js';
import { startTestBroker, type TestBroker } from '../../test/support/embeddedBroker.js';
import { tempDir } from '../../test/support/tempDir.js';
import { applyTopology } from '../topology/applyTopology.js';
import { DeadLetterHeaders } from './streamTask.js';
import { startStreams, type StreamsHandle } from './startStreams.js';
import { counter, topology } from './testing/wordCounter.js';

let t: TestBroker;
let kafka: Kafka;
const logger = pino({ level: process.env.KES_TEST_LOG_LEVEL ?? 'silent' });
const dirs: { path: string; remove(): void }[] = [];

beforeAll(async () => {
  t = await startTestBroker({ autoCreateTopics: false });
  kafka = t.kafka('streams-test');
  const admin = kafka.admin();
  await admin.connect();
  await applyTopology(admin, topology);
  await admin.disconnect();
});
afterAll(async () => {
  await t.stop();
  for (const d of dirs) d.remove();
});

async function instance(id: string, dataDir?: string): Promise<{ streams: StreamsHandle; dataDir: string }> {
  const dir = dataDir ?? dirs[dirs.push(tempDir('kes-streams-')) - 1]!.path;
  const streams = await startStreams({
    kafka: t.kafka(id),
    topology,
    processors: new Map([['counter', counter]]),
    dataDir: dir,
    instanceId: id,
    logger,
    sessionTimeoutMs: 6000,
  });
  await streams.whenReady();
  return { streams, dataDir: dir };
}

async function produceWords(words: string[]) {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: 'words', messages: words.map((w) => ({ key: w, value: w })) });
  await producer.disconnect();
}

/** The latest count per word in the read_committed output. */
async function latestCounts(expectedRecords: number): Promise<Record<string, string>> {
  const out = await consumeAll(kafka, 'word-counts', expectedRecords);
  return Object.fromEntries(out.map((m) => [m.key!, m.value!]));
}

const words = (n: number, vocabulary: string[]) =>
  Array.from({ length: n }, (_, i) => vocabulary[i % vocabulary.length]!);

describe('streams runtime', () => {
  it('processes exactly once, logs its store, and dead-letters a poison record', async () => {
    const { streams } = await instance('a');
    await produceWords([...words(40, ['apple', 'banana', 'cherry', 'date']), 'poison']);
    const counts = await latestCounts(41);
    await streams.close();
    expect(counts).toEqual({
      apple: '10',
      banana: '10',
      cherry: '10',
      date: '10',
      poison: 'error: cannot count poison',
    });
    const dlq = await consumeAll(kafka, 'counter.dlq', 1);
    expect(dlq[0]).toMatchObject({ key: 'poison', value: 'poison' });
    expect(dlq[0]!.headers[DeadLetterHeaders.error]).toEqual(['cannot count poison']);
    expect(dlq[0]!.headers[DeadLetterHeaders.topic]).toEqual(['words']);
    // A transaction logs only the last write of each key.
    // Every receipt names the offset its count was written at.
    const written = await consumeAll(kafka, 'word-counts', 41);
    const at = new Map(written.map((m) => [`${m.partition}:${m.offset}`, m.value]));
    const receipts = await consumeAll(kafka, 'receipts', 40);
    expect(receipts).toHaveLength(40);
    for (const r of receipts) {
      const [partition, offset, count] = r.value!.split(':');
      expect(at.get(`${partition}:${offset}`)).toBe(count);
    }
    const changelog = await consumeAll(kafka, 'counts.changelog', 4);
    expect(changelog.length).toBeLessThan(40);
    expect(changelog.filter((m) => m.key === 'apple').at(-1)!.value).toBe('10');
  });

  it('restores a deleted store from its changelog and goes on counting from there', async () => {
    const first = await instance('b');
    await first.streams.close();
    fs.rmSync(first.dataDir, { recursive: true, force: true });
    const { streams } = await instance('b', first.dataDir);
    await produceWords(words(4, ['apple', 'banana', 'cherry', 'date']));
    const counts = await latestCounts(45);
    await streams.close();
    expect(counts).toMatchObject({ apple: '11', banana: '11', cherry: '11', date: '11' });
  });

  it('splits partitions between two instances, and the survivor takes over with restored state', async () => {
    const a = await instance('c1');
    const b = await instance('c2');
    const deadline = Date.now() + 30_000;
    while (
      (a.streams.runners[0]!.assignedPartitions.length !== 2 ||
        b.streams.runners[0]!.assignedPartitions.length !== 2) &&
      Date.now() < deadline
    ) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(
      [...a.streams.runners[0]!.assignedPartitions, ...b.streams.runners[0]!.assignedPartitions].sort(),
    ).toEqual([0, 1, 2, 3]);
    await b.streams.close();
    while (a.streams.runners[0]!.assignedPartitions.length !== 4 && Date.now() < deadline + 30_000) {
      await new Promise((r) => setTimeout(r, 100));
    }
    await a.streams.whenReady();
    await produceWords(words(4, ['apple', 'banana', 'cherry', 'date']));
    const counts = await latestCounts(49);
    await a.streams.close();
    expect(counts).toMatchObject({ apple: '12', banana: '12', cherry: '12', date: '12' });
  });
});
