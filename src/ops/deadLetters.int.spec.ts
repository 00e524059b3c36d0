import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../test/support/embeddedStack.js';
import { tempDir } from '../../test/support/tempDir.js';
import { type AppHandle, startApp } from '../app/startApp.js';
import { topology } from '../../topology/index.js';
import { consumerLag, topologySubjects } from './consumerLag.js';
import { listDeadLetters, replayDeadLetters, replayRefusal } from './deadLetters.js';
import { readTopic } from './readTopic.js';
import { application } from '../../topology/application.js';

/** Operations on a running app: its dead letters listed and replayed once, its lag. */
let stack: TestStack;
let app: AppHandle;
const data = tempDir('kes-ops-');

beforeAll(async () => {
  stack = await startTestStack();
  app = await startApp({
    application,
    brokers: [stack.broker.broker.bootstrap],
    registryUrl: stack.registry.url,
    dataDir: data.path,
    instanceId: 'ops-test',
    processors: ['stock-commands'],
    logger: pino({ level: 'silent' }),
  });
  await app.streams.whenReady();
}, 120_000);

afterAll(async () => {
  await app.close();
  await stack.stop();
  data.remove();
});

describe('dead letters', () => {
  it('lists what a processor could not process, and replays it once to where it came from', async () => {
    const producer = app.kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'stock.commands',
      messages: [{ key: 'broken', value: Buffer.from('not avro'), headers: { ce_id: 'poison-1' } }],
    });
    await producer.disconnect();
    await expect
      .poll(async () => (await listDeadLetters(app.kafka, 'stock-commands')).length, { timeout: 30_000 })
      .toBe(1);
    const [letter] = await listDeadLetters(app.kafka, 'stock-commands');
    expect(letter).toMatchObject({
      key: 'broken',
      source: { topic: 'stock.commands' },
      headers: expect.objectContaining({ ce_id: 'poison-1', 'kes.dlq.processor': 'stock-commands' }),
    });
    expect(letter!.error).not.toBe('');

    const before = (await readTopic(app.kafka, 'stock.commands')).length;
    const progress: [number, number][] = [];
    expect(
      await replayDeadLetters(app.kafka, {
        topology,
        processor: 'stock-commands',
        onProgress: (sent, total) => progress.push([sent, total]),
      }),
    ).toEqual({ replayed: 1, skipped: 0 });
    expect(progress).toEqual([
      [0, 1],
      [1, 1],
    ]);
    const commands = await readTopic(app.kafka, 'stock.commands');
    expect(commands).toHaveLength(before + 1);
    const replayed = commands.at(-1)!;
    expect(replayed.partition).toBe(letter!.source.partition);
    expect(replayed.message.value).toEqual(Buffer.from('not avro'));
    expect(String(replayed.message.headers?.['kes.dlq.replayed-from'])).toBe(
      `stock-commands.dlq:${letter!.partition}:${letter!.offset}`,
    );
    expect(replayed.message.headers?.['kes.dlq.error']).toBeUndefined();
    // It fails again (still not Avro) and comes back; a second replay sends only that new one,
    // not the first again.
    await expect
      .poll(async () => (await listDeadLetters(app.kafka, 'stock-commands')).length, { timeout: 30_000 })
      .toBe(2);
    expect(await replayDeadLetters(app.kafka, { topology, processor: 'stock-commands' })).toEqual({
      replayed: 1,
      skipped: 0,
    });
    expect(await readTopic(app.kafka, 'stock.commands')).toHaveLength(before + 2);
  });
});

describe('dead letter replay refusals', () => {
  it('replays only into topics no other processor reads', async () => {
    expect(replayRefusal(topology, 'stock-commands')).toBeUndefined();
    expect(replayRefusal(topology, 'order-fulfilment')).toMatch(/orders\.events.*invoicing/);
    expect(replayRefusal(topology, 'products-view')).toMatch(/stock\.events/);
    expect(replayRefusal(topology, 'nope')).toBe('no processor named nope');
    await expect(replayDeadLetters(app.kafka, { topology, processor: 'products-view' })).rejects.toThrow(
      /would duplicate/,
    );
  });
});

describe('consumer lag', () => {
  it('reports every processor per input partition, and a caught-up one at its end', async () => {
    const admin = app.kafka.admin();
    await admin.connect();
    try {
      const lags = await consumerLag(admin, topologySubjects(topology));
      expect(new Set(lags.map((l) => l.processor))).toEqual(new Set(topology.processors.map((p) => p.name)));
      // stock-commands processed everything on stock.commands: at most the last commit marker remains.
      await expect
        .poll(
          async () =>
            (await consumerLag(admin, topologySubjects(topology)))
              .filter((l) => l.processor === 'stock-commands')
              .every((l) => l.lag <= 1),
          { timeout: 30_000 },
        )
        .toBe(true);
      // Nothing runs the saga here: its lag is what its inputs hold.
      const saga = lags.filter((l) => l.processor === 'order-fulfilment');
      expect(saga.every((l) => l.lag === l.end)).toBe(true);
    } finally {
      await admin.disconnect();
    }
  });
});
