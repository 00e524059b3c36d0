import { setTimeout as sleep } from 'node:timers/promises';
import type { Kafka } from 'kafkajs';
import pino, { type Logger } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { consumeAll } from '../../test/support/consumeAll.js';
import { readTopic } from '../../test/support/readTopic.js';
import { startTestBroker, type TestBroker } from '../../test/support/embeddedBroker.js';
import { tempDir } from '../../test/support/tempDir.js';
import { applyTopology } from '../topology/applyTopology.js';
import type { Processor, PunctuationContext } from './processor.js';
import { startStreams, type StreamsHandle } from './startStreams.js';
import { counter, topology } from './testing/wordCounter.js';
import { TransientError } from './transientError.js';

/**
 * Punctuation on the word counter's tasks: a "tick" punctuator every 50 ms counts its runs in the
 * task's store (key `tick`, so in counts.changelog) and writes a receipt `tick-<partition>` with
 * that count, in the punctuation's own transaction. Waits are on conditions (a deadline only
 * bounds them).
 */
const logger = pino({ level: process.env.KES_TEST_LOG_LEVEL ?? 'silent' });
const PARTITIONS = [0, 1, 2, 3];
const undo: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const step of undo.splice(0).reverse()) await step();
});

/** What one instance's processor saw: per partition, the tick counts it wrote, and overlaps. */
class Probe {
  readonly ticks = new Map<number, number[]>();
  /** Partitions whose task is inside `process` or `punctuate` now. */
  private readonly busy = new Set<number>();
  overlaps = 0;
  /** Per partition, ticks that ran after a record of it and before a later one. */
  readonly ticksBetweenRecords = new Map<number, number>();
  private readonly tickSinceRecord = new Set<number>();
  private readonly recordSeen = new Set<number>();
  closed = false;
  calledAfterClose = 0;
  /** Per partition, what the next punctuation throws (then it is taken). */
  readonly failNext = new Map<number, Error[]>();

  ticksOf(partition: number): number[] {
    return this.ticks.get(partition) ?? [];
  }

  processor(): Processor {
    return {
      ...counter,
      process: async (record, ctx) => {
        this.enter(ctx.partition);
        try {
          this.recordSeen.add(ctx.partition);
          if (this.tickSinceRecord.delete(ctx.partition)) {
            this.ticksBetweenRecords.set(
              ctx.partition,
              (this.ticksBetweenRecords.get(ctx.partition) ?? 0) + 1,
            );
          }
          // Work that takes a while: a punctuation running alongside would be seen.
          await sleep(1);
          await counter.process(record, ctx);
        } finally {
          this.busy.delete(ctx.partition);
        }
      },
      punctuators: [{ name: 'tick', intervalMs: 50, punctuate: (ctx) => this.tick(ctx) }],
    };
  }

  private enter(partition: number): void {
    if (this.busy.has(partition)) this.overlaps++;
    this.busy.add(partition);
  }

  private async tick(ctx: PunctuationContext): Promise<void> {
    if (this.closed) this.calledAfterClose++;
    this.enter(ctx.partition);
    try {
      await sleep(1);
      const store = ctx.store('counts');
      const n = Number((await store.get('tick'))?.toString() ?? '0') + 1;
      store.put('tick', Buffer.from(String(n)));
      ctx.forward({
        topic: 'receipts',
        key: `tick-${ctx.partition}`,
        value: Buffer.from(String(n)),
        partition: ctx.partition,
      });
      const failure = this.failNext.get(ctx.partition)?.shift();
      if (failure) throw failure; // after writing: none of it may be committed
      this.ticks.set(ctx.partition, [...this.ticksOf(ctx.partition), n]);
      if (this.recordSeen.has(ctx.partition)) this.tickSinceRecord.add(ctx.partition);
    } finally {
      this.busy.delete(ctx.partition);
    }
  }
}

async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await sleep(20);
  }
}

async function setUp(): Promise<{
  broker: TestBroker;
  kafka: Kafka;
  start: (id: string, probe: Probe, log?: Logger) => Promise<StreamsHandle>;
  produce: (words: string[]) => Promise<void>;
}> {
  const broker = await startTestBroker({ autoCreateTopics: false });
  undo.push(() => broker.stop());
  const kafka = broker.kafka('punctuation-test');
  const admin = kafka.admin();
  await admin.connect();
  await applyTopology(admin, topology);
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  undo.push(() => producer.disconnect());
  const start = async (id: string, probe: Probe, log = logger) => {
    const dir = tempDir('kes-punctuation-');
    undo.push(() => dir.remove());
    const streams = await startStreams({
      kafka: broker.kafka(id),
      topology,
      processors: new Map([['counter', probe.processor()]]),
      dataDir: dir.path,
      instanceId: id,
      logger: log,
      sessionTimeoutMs: 6000,
    });
    undo.push(() => streams.close());
    await streams.whenReady();
    return streams;
  };
  const produce = async (words: string[]) => {
    await producer.send({ topic: 'words', messages: words.map((w) => ({ key: w, value: w })) });
  };
  return { broker, kafka, start, produce };
}

/** The committed (read_committed) values of a key, per partition, in offset order. */
async function committedValues(kafka: Kafka, topic: string, key: (p: number) => string) {
  const values = new Map<number, number[]>();
  for (const { partition, message } of await readTopic(kafka, topic)) {
    if (message.key?.toString() !== key(partition)) continue;
    values.set(partition, [...(values.get(partition) ?? []), Number(message.value!.toString())]);
  }
  return values;
}

const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('punctuation', () => {
  it('runs on idle partitions, and commits its store writes and outputs together', async () => {
    const { kafka, start } = await setUp();
    const probe = new Probe();
    await start('a', probe);
    // No record is produced at all.
    await until('every partition ticked 3 times', () =>
      PARTITIONS.every((p) => probe.ticksOf(p).length >= 3),
    );
    let receipts = new Map<number, number[]>();
    await until('receipts of every partition committed', async () => {
      receipts = await committedValues(kafka, 'receipts', (p) => `tick-${p}`);
      return PARTITIONS.every((p) => (receipts.get(p)?.length ?? 0) >= 3);
    });
    // Read afterwards, the changelog is as far as the receipts at least (the same transactions).
    const changelog = await committedValues(kafka, 'counts.changelog', () => 'tick');
    for (const p of PARTITIONS) {
      expect(receipts.get(p)).toEqual(oneTo(receipts.get(p)!.length));
      expect(changelog.get(p)!.at(-1)).toBeGreaterThanOrEqual(receipts.get(p)!.at(-1)!);
    }
  });

  it('runs between the chunks of a busy task, never during one', async () => {
    const { kafka, start, produce } = await setUp();
    const probe = new Probe();
    await start('a', probe);
    const vocabulary = Array.from({ length: 32 }, (_, i) => `word-${i}`);
    let sent = 0;
    await until(
      'ticks between records on every partition',
      async () => {
        await produce(vocabulary);
        sent += vocabulary.length;
        return PARTITIONS.every((p) => (probe.ticksBetweenRecords.get(p) ?? 0) >= 3);
      },
      60_000,
    );
    expect(probe.overlaps).toBe(0);
    // And every word was counted once: the last counts add up to what was sent.
    const counts = await consumeAll(kafka, 'word-counts', sent);
    const latest = new Map(counts.map((m) => [m.key!, Number(m.value)]));
    expect([...latest.values()].reduce((a, b) => a + b, 0)).toBe(sent);
  });

  it('stops when its task is revoked or closed; the new owner goes on from the committed store', async () => {
    const { start } = await setUp();
    const a = new Probe();
    const streamsA = await start('a', a);
    await until('a ticked on every partition', () => PARTITIONS.every((p) => a.ticksOf(p).length >= 2));

    // b joins: the partitions it is given stop ticking on a.
    const b = new Probe();
    await start('b', b);
    await until('b ticked', () => PARTITIONS.some((p) => b.ticksOf(p).length >= 3));
    const moved = PARTITIONS.filter((p) => b.ticksOf(p).length > 0);
    const aBefore = moved.map((p) => a.ticksOf(p).length);
    const bBefore = moved.map((p) => b.ticksOf(p).length);
    await until('b ticked 5 more times on what it took', () =>
      moved.every((p, i) => b.ticksOf(p).length >= bBefore[i]! + 5),
    );
    expect(moved.map((p) => a.ticksOf(p).length)).toEqual(aBefore);

    // a closes: nothing of it ticks any more; b takes every partition and goes on counting.
    await streamsA.close();
    a.closed = true;
    await until('b ticked on every partition', () => PARTITIONS.every((p) => b.ticksOf(p).length >= 3));
    const bAll = PARTITIONS.map((p) => b.ticksOf(p).length);
    await until('b ticked 5 more times everywhere', () =>
      PARTITIONS.every((p, i) => b.ticksOf(p).length >= bAll[i]! + 5),
    );
    expect(a.calledAfterClose).toBe(0);
    for (const p of PARTITIONS) {
      // Its first tick counts on from a's committed ones (restored from counts.changelog).
      expect(b.ticksOf(p)[0]).toBeGreaterThan(1);
      const ticks = b.ticksOf(p);
      expect(ticks).toEqual(oneTo(ticks.length).map((i) => i + ticks[0]! - 1));
    }
  });

  it('a failure that passes is tried again after a backoff; a bug starts the task again; neither is committed', async () => {
    const { kafka, start } = await setUp();
    const probe = new Probe();
    const warnings: { msg: string; partition?: number }[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line)) });
    const streams = await start('a', probe, log);
    await until('every partition ticked', () => PARTITIONS.every((p) => probe.ticksOf(p).length >= 1));
    probe.failNext.set(
      1,
      [1, 2, 3].map(() => new TransientError('tick service down', 'the tick service')),
    );
    probe.failNext.set(2, [new Error('a bug in the tick')]);
    const runner = streams.runners[0]!;
    await until('partition 1 reported waiting for the tick service', () =>
      runner.waiting().some((w) => w.partition === 1 && w.waitingFor === 'the tick service'),
    );
    await until('both failed and ticked on', () =>
      [1, 2].every((p) => probe.failNext.get(p)!.length === 0 && probe.ticksOf(p).length >= 4),
    );
    await until('partition 1 no longer waiting', () => !runner.waiting().some((w) => w.partition === 1));
    // The failed punctuations wrote nothing: every count was committed once, in order.
    let receipts = new Map<number, number[]>();
    await until('the receipts committed', async () => {
      receipts = await committedValues(kafka, 'receipts', (p) => `tick-${p}`);
      return [1, 2].every((p) => (receipts.get(p)?.length ?? 0) >= 4);
    });
    for (const p of [1, 2]) {
      expect(receipts.get(p)).toEqual(oneTo(receipts.get(p)!.length));
      expect(probe.ticksOf(p)).toEqual(oneTo(probe.ticksOf(p).length));
    }
    // Only the bug started its task again.
    const restarted = warnings.filter((w) => w.msg.startsWith('punctuation failed; the task starts again'));
    expect(restarted.map((w) => w.partition)).toEqual([2]);
  });
});
