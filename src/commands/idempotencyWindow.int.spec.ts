import { setTimeout as sleep } from 'node:timers/promises';
import type { Kafka, Producer } from 'kafkajs';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { CommandResults } from '../../test/support/commandResults.js';
import { startTestStack, type TestStack } from '../../test/support/embeddedStack.js';
import { readTopic } from '../../test/support/readTopic.js';
import { tempDir } from '../../test/support/tempDir.js';
import type { IdempotencyWindow } from '../app/kesApplication.js';
import { type AppHandle, startApp } from '../app/startApp.js';
import { resultKey } from './aggregateSnapshot.js';
import type { CommandInput } from './commandSender.js';
import { application } from '../../topology/application.js';

/**
 * The idempotency window, by time and by count: a command sent again within it is answered with
 * its first result; sent again after it, it is processed again. The command handler forgets
 * results on a timer (its punctuator, once a second per task), with no further command arriving:
 * each check watches the committed changelog `stock.aggregates` until the result is deleted there.
 */
const logger = pino({ level: process.env.KES_TEST_LOG_LEVEL ?? 'silent' });
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startWith(idempotency: IdempotencyWindow) {
  const stack: TestStack = await startTestStack();
  const dir = tempDir('kes-window-');
  cleanups.push(async () => {
    await stack.stop();
    dir.remove();
  });
  const app: AppHandle = await startApp({
    application,
    brokers: [stack.broker.broker.bootstrap],
    registryUrl: stack.registry.url,
    dataDir: dir.path,
    instanceId: 'window-test',
    processors: ['stock-commands'],
    idempotency,
    logger,
  });
  cleanups.push(() => app.close());
  await app.streams.whenReady();
  const producer: Producer = app.kafka.producer();
  await producer.connect();
  cleanups.push(() => producer.disconnect());
  const results = await CommandResults.follow(app.kafka, app.serde);
  cleanups.push(() => results.stop());
  const send = async (input: CommandInput) => {
    const count = results.of(input.commandId!).length + 1;
    const { commandId } = await app.sender.send(producer, input);
    return results.waitFor(commandId, { count }); // this sending's answer, not an earlier one's
  };
  return { send, kafka: app.kafka };
}

type Memory = 'kept' | 'deleted' | 'never written';

/** What the committed changelog of the stock aggregates says of each command's result for `apple`. */
async function remembered(kafka: Kafka, commandIds: readonly string[]): Promise<Memory[]> {
  const latest = new Map<string, Memory>();
  for (const { message } of await readTopic(kafka, 'stock.aggregates')) {
    latest.set(message.key!.toString(), message.value === null ? 'deleted' : 'kept');
  }
  return commandIds.map((id) => latest.get(resultKey('apple', id)) ?? 'never written');
}

/** Waits (up to 30 s), sending nothing, until the changelog says so. */
async function untilRemembered(kafka: Kafka, expected: Record<string, Memory>): Promise<void> {
  const ids = Object.keys(expected);
  const deadline = Date.now() + 30_000;
  let now: Memory[] = [];
  while (Date.now() < deadline) {
    now = await remembered(kafka, ids);
    if (ids.every((id, i) => now[i] === expected[id])) return;
    await sleep(100);
  }
  expect(Object.fromEntries(ids.map((id, i) => [id, now[i]]))).toEqual(expected);
}

const increase = (commandId: string) => ({
  type: 'IncreaseStock',
  commandId,
  data: { productId: 'apple', quantity: 1 },
});

describe('the idempotency window', () => {
  it('forgets the oldest results beyond the count, and keeps the newest', async () => {
    const { send, kafka } = await startWith({ maxResults: 5 });
    await send({
      type: 'AddProduct',
      commandId: 'add',
      data: { productId: 'apple', name: 'Apple', initialStock: 0 },
    });
    const first = new Map<string, number>();
    for (let i = 1; i <= 10; i++) first.set(`c-${i}`, (await send(increase(`c-${i}`))).version ?? 0);
    expect(first.get('c-10')).toBe(11);
    // Eleven results (with the AddProduct's): the six oldest are forgotten, with no command sent.
    await untilRemembered(kafka, {
      add: 'deleted',
      ...Object.fromEntries(
        Array.from({ length: 10 }, (_, i) => [`c-${i + 1}`, i >= 5 ? 'kept' : 'deleted']),
      ),
    });
    const again = await send(increase('c-1'));
    expect(again.version).toBe(12); // processed again: a new event
    expect((await send(increase('c-10'))).version).toBe(11); // still remembered: its first answer
    // The newest result is still remembered: the same answer, nothing appended.
    const latest = await send(increase('c-1'));
    expect(latest.version).toBe(again.version);
  });

  it('remembers a result for its time, then forgets it', async () => {
    const { send, kafka } = await startWith({ retentionMs: 1500 });
    await send({
      type: 'AddProduct',
      commandId: 'add',
      data: { productId: 'apple', name: 'Apple', initialStock: 0 },
    });
    const sentAt = Date.now();
    const first = await send(increase('once'));
    expect((await send(increase('once'))).version).toBe(first.version);
    // No command arrives: the result is deleted once its time is over.
    await untilRemembered(kafka, { once: 'deleted' });
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(1500);
    const again = await send(increase('once'));
    expect(again.version).toBeGreaterThan(first.version!);
  });
});
