import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTopic } from '../ops/readTopic.js';
import { startTestStack, type TestStack } from '../../test/support/embeddedStack.js';
import { tempDir } from '../../test/support/tempDir.js';
import { startApp } from './startApp.js';
import { application } from '../../topology/application.js';

/**
 * A graceful stop (what SIGTERM does): readiness turns 503 for the drain period while requests
 * are still served, then the HTTP server stops, answering what is in flight — commands get their
 * results, since the processors stop only after — and the processors finish their transactions
 * and leave their groups.
 */
let stack: TestStack;
const data = tempDir('kes-stop-');

beforeAll(async () => {
  stack = await startTestStack();
}, 60_000);

afterAll(async () => {
  await stack.stop();
  data.remove();
});

describe('a graceful stop', () => {
  it('answers every command in flight before the processors stop', async () => {
    const app = await startApp({
      application,
      brokers: [stack.broker.broker.bootstrap],
      registryUrl: stack.registry.url,
      dataDir: data.path,
      instanceId: 'stop-test',
      processors: ['stock-commands'],
      http: { port: 0, drainMs: 1000 },
      logger: pino({ level: 'silent' }),
    });
    await app.streams.whenReady();
    const inFlight = Array.from({ length: 40 }, (_, i) =>
      fetch(`${app.url}/commands/AddProduct`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `stop-${i}` },
        body: JSON.stringify({ productId: `stop-${i}`, name: `Product ${i}`, initialStock: 1 }),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { commandId: string } })),
    );
    await new Promise((r) => setTimeout(r, 20)); // the requests are under way
    const closing = app.close();
    // Draining: no longer ready, still serving.
    const ready = await fetch(`${app.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'DRAINING' });
    await closing;
    const answers = await Promise.all(inFlight);
    // Every request in flight was answered with its result, none dropped.
    const accepted = answers.filter((a) => a.status === 200);
    expect(accepted).toHaveLength(40);
    // And each accepted command was appended exactly once (its product id is its command id).
    const events = await readTopic(stack.broker.kafka('stop-check'), 'stock.events');
    const keys = events.map((e) => e.message.key!.toString());
    for (const { body } of accepted) expect(keys.filter((k) => k === body.commandId)).toHaveLength(1);
  });
});
