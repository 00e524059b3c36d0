import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../test/support/embeddedStack.js';
import { tempDir } from '../../test/support/tempDir.js';
import { application } from '../../topology/application.js';
import { startApp } from './startApp.js';

/**
 * A stopping instance answers what is in flight, but a client that never reads its answer does
 * not hold the stop up: its connection is closed once commands have had their time.
 */
let stack: TestStack;
const dir = tempDir('kes-http-close-');

beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);
afterAll(async () => {
  await stack.stop();
  dir.remove();
});

describe('an instance stopping', () => {
  it('closes a connection whose answer is not read, after the command timeout and 5 s', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const app = await startApp({
      application,
      brokers: [stack.broker.broker.bootstrap],
      registryUrl: stack.registry.url,
      dataDir: dir.path,
      instanceId: 'http-close',
      env: { KES_INVOICE_BASE_URL: 'https://invoices.test/' },
      logger,
      http: { port: 0, limits: { commandTimeoutMs: 500 } },
    });
    await app.streams.whenReady();
    // The console's script, its body never read: the answer stays in flight.
    const unread = await fetch(`${app.url}/console/console.js`);
    expect(unread.status).toBe(200);
    const started = Date.now();
    await app.close();
    const tookMs = Date.now() - started;
    expect(tookMs).toBeGreaterThanOrEqual(5_500);
    expect(tookMs).toBeLessThan(30_000);
    expect(lines.map((l) => l.msg)).toContain('stopping: closing the HTTP connections still open');
  });
});
