import type { Producer } from 'kafkajs';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { CommandResults } from '../../test/support/commandResults.js';
import { startTestStack, type TestStack } from '../../test/support/embeddedStack.js';
import { tempDir } from '../../test/support/tempDir.js';
import type { IdempotencyWindow } from '../app/kesApplication.js';
import { type AppHandle, startApp } from '../app/startApp.js';
import type { CommandInput } from './commandSender.js';
import { application } from '../../topology/application.js';

/**
 * The idempotency window, by time and by count: a command sent again within it is answered with
 * its first result; sent again after it, it is processed again. The command handler forgets
 * results in its sweep (at most once a second per task), so each check asks until it holds.
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
  return { send };
}

const increase = (commandId: string) => ({
  type: 'IncreaseStock',
  commandId,
  data: { productId: 'apple', quantity: 1 },
});

describe('the idempotency window', () => {
  it('forgets the oldest results beyond the count, and keeps the newest', async () => {
    const { send } = await startWith({ maxResults: 5 });
    await send({
      type: 'AddProduct',
      commandId: 'add',
      data: { productId: 'apple', name: 'Apple', initialStock: 0 },
    });
    const first = new Map<string, number>();
    for (let i = 1; i <= 10; i++) first.set(`c-${i}`, (await send(increase(`c-${i}`))).version ?? 0);
    expect(first.get('c-10')).toBe(11);
    // Ticks (new commands) let the sweep run; c-1 is answered from memory until it is forgotten.
    let again = await send(increase('c-1'));
    const deadline = Date.now() + 30_000;
    for (let tick = 0; again.version === first.get('c-1') && Date.now() < deadline; tick++) {
      await send(increase(`tick-${tick}`));
      again = await send(increase('c-1'));
    }
    expect(again.version).toBeGreaterThan(first.get('c-10')!); // processed again: a new event
    // The newest result is still remembered: the same answer, nothing appended.
    const latest = await send(increase('c-1'));
    expect(latest.version).toBe(again.version);
  });

  it('remembers a result for its time, then forgets it', async () => {
    const { send } = await startWith({ retentionMs: 1500 });
    await send({
      type: 'AddProduct',
      commandId: 'add',
      data: { productId: 'apple', name: 'Apple', initialStock: 0 },
    });
    const sentAt = Date.now();
    const first = await send(increase('once'));
    let again = await send(increase('once'));
    expect(again.version).toBe(first.version);
    // New commands let the sweep run (a repeat is answered before it).
    for (let tick = 0; again.version === first.version && Date.now() - sentAt < 30_000; tick++) {
      await send(increase(`tick-${tick}`));
      again = await send(increase('once'));
    }
    expect(again.version).toBeGreaterThan(first.version!);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(1500);
  });
});
