import type { Producer } from 'kafkajs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandResults } from '../../test/support/commandResults.js';
import { consumeAll } from '../../test/support/consumeAll.js';
import { startTestStack, type TestStack } from '../../test/support/embeddedStack.js';
import { readTopic } from '../../test/support/readTopic.js';
import { tempDir } from '../../test/support/tempDir.js';
import { type AppHandle, startApp } from '../app/startApp.js';
import { DeadLetterHeaders } from '../processor/streamTask.js';
import { CloudEventHeaders } from './cloudEvents.js';
import { application } from '../../topology/application.js';

/**
 * Command records written to `stock.commands` directly, not through CommandSender, that the
 * stock command handler refuses for what addresses them: without a key, with a key or a ce_id
 * that breaks the id rules, with a key that is not the command's aggregate id. Each goes to the
 * dead-letter topic with a FAILED result naming why, and changes no state: no event, no snapshot,
 * and the aggregate it named goes on from its version.
 */
let stack: TestStack;
let app: AppHandle;
let producer: Producer;
let results: CommandResults;
const data = tempDir('kes-handler-');

beforeAll(async () => {
  stack = await startTestStack();
  app = await startApp({
    application,
    brokers: [stack.broker.broker.bootstrap],
    registryUrl: stack.registry.url,
    dataDir: data.path,
    instanceId: 'handler-test',
    processors: ['stock-commands'],
    logger: pino({ level: process.env.KES_TEST_LOG_LEVEL ?? 'silent' }),
  });
  await app.streams.whenReady();
  producer = app.kafka.producer();
  await producer.connect();
  results = await CommandResults.follow(app.kafka, app.serde);
}, 120_000);

afterAll(async () => {
  await results.stop();
  await producer.disconnect();
  await app.close();
  await stack.stop();
  data.remove();
});

/** A command record as a producer of its own would write it: `key` null for none. */
async function produce(type: string, fields: Record<string, unknown>, key: string | null, commandId: string) {
  const fullName = `kes.stock.${type}`;
  await producer.send({
    topic: 'stock.commands',
    messages: [
      {
        ...(key === null ? {} : { key }),
        value: await app.serde.encode('stock.commands', fullName, fields),
        headers: { [CloudEventHeaders.id]: commandId, [CloudEventHeaders.type]: fullName },
      },
    ],
  });
}

async function send(type: string, fields: Record<string, unknown>) {
  const sent = await app.sender.send(producer, { type, data: fields });
  return results.waitFor(sent.commandId);
}

const longKey = 'x'.repeat(201);
const bellKey = 'app\u0007le';
const nulKey = 'apple\u0000';
const longCommandId = 'c'.repeat(257);

/** What is written, how it is refused: [case, type, fields, key, ce_id, result code, error type]. */
const refused: [string, string, Record<string, unknown>, string | null, string, string, string][] = [
  [
    'a record without a key',
    'IncreaseStock',
    { productId: 'apple', quantity: 5 },
    null,
    'keyless-1',
    'KEYLESS_COMMAND',
    'KeylessCommandError',
  ],
  [
    'a key of 201 bytes',
    'AddProduct',
    { productId: longKey, name: 'Long', initialStock: 1 },
    longKey,
    'long-key-1',
    'INVALID_AGGREGATE_ID',
    'InvalidAggregateIdError',
  ],
  [
    'a key with a control character (BEL)',
    'AddProduct',
    { productId: bellKey, name: 'Bell', initialStock: 1 },
    bellKey,
    'bell-key-1',
    'INVALID_AGGREGATE_ID',
    'InvalidAggregateIdError',
  ],
  [
    'a key with a NUL',
    'AddProduct',
    { productId: nulKey, name: 'Nul', initialStock: 1 },
    nulKey,
    'nul-key-1',
    'INVALID_AGGREGATE_ID',
    'InvalidAggregateIdError',
  ],
  [
    'a key that is not the command’s aggregate id',
    'IncreaseStock',
    { productId: 'pear', quantity: 5 },
    'apple',
    'other-key-1',
    'INVALID_AGGREGATE_ID',
    'InvalidAggregateIdError',
  ],
  [
    'a ce_id with a control character',
    'IncreaseStock',
    { productId: 'apple', quantity: 5 },
    'apple',
    'bad\u0000id',
    'INVALID_COMMAND_ID',
    'InvalidCommandIdError',
  ],
  [
    'a ce_id of 257 bytes',
    'IncreaseStock',
    { productId: 'apple', quantity: 5 },
    'apple',
    longCommandId,
    'INVALID_COMMAND_ID',
    'InvalidCommandIdError',
  ],
];

describe('the command handler, given records that break the id rules', () => {
  beforeAll(async () => {
    expect(await send('AddProduct', { productId: 'apple', name: 'Apple', initialStock: 10 })).toMatchObject({
      status: 'ACCEPTED',
      version: 1,
    });
    for (const [, type, fields, key, commandId] of refused) await produce(type, fields, key, commandId);
  });

  it.each(refused)('refuses %s with a FAILED result', async (_case, type, _fields, key, commandId, code) => {
    expect(await results.waitFor(commandId)).toMatchObject({
      commandId,
      commandType: `kes.stock.${type}`,
      aggregateId: key ?? '',
      status: 'FAILED',
      version: null,
      eventCount: 0,
      events: [],
      position: null,
      rejection: { code, message: expect.any(String) },
    });
  });

  it('sends each to the dead-letter topic, saying why', async () => {
    const letters = await consumeAll(app.kafka, 'stock-commands.dlq', refused.length);
    const byId = new Map(letters.map((l) => [l.headers[CloudEventHeaders.id]?.[0], l]));
    for (const [, , , key, commandId, , errorType] of refused) {
      expect(byId.get(commandId), commandId).toMatchObject({
        key,
        headers: expect.objectContaining({ [DeadLetterHeaders.errorType]: [errorType] }),
      });
    }
    expect(letters).toHaveLength(refused.length);
  });

  it('changes no state: no event or snapshot for any of them, and apple goes on from version 1', async () => {
    for (const [, , , , commandId] of refused) await results.waitFor(commandId);
    expect(await send('IncreaseStock', { productId: 'apple', quantity: 1 })).toMatchObject({
      status: 'ACCEPTED',
      version: 2,
    });
    const keysOf = async (topic: string) =>
      new Set((await readTopic(app.kafka, topic)).map((r) => r.message.key?.toString() ?? null));
    expect(await keysOf('stock.events')).toEqual(new Set(['apple']));
    // The store's changelog: apple's snapshot, and the remembered results and their expiries
    // (keyed by the JSON of apple and a command id: no refused command id among them).
    const stored = [...(await keysOf('stock.aggregates'))];
    expect(stored.filter((k) => k !== null && !k.startsWith('\u0000'))).toEqual(['apple']);
    for (const [, , , , commandId] of refused) {
      expect(
        stored.some((k) => k?.includes(JSON.stringify(commandId))),
        commandId,
      ).toBe(false);
    }
  });
});
