import { createServer } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../test/support/embeddedStack.js';
import { tempDir } from '../../test/support/tempDir.js';
import { topology } from '../../topology/index.js';
import { startApp } from './startApp.js';
import { application } from '../../topology/application.js';

/**
 * A start-up that fails for good, or is aborted while it waits, leaves nothing behind: the HTTP
 * port is free again and the broker has no connection of it.
 */
let stack: TestStack;
const dirs: ReturnType<typeof tempDir>[] = [];
const logger = pino({ level: process.env.KES_TEST_LOG_LEVEL ?? 'silent' });

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack.stop();
  for (const d of dirs) d.remove();
});

/** A port nothing listens on. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const options = (port: number) => {
  const dir = tempDir('kes-startup-');
  dirs.push(dir);
  return {
    brokers: [stack.broker.broker.bootstrap],
    dataDir: dir.path,
    instanceId: `startup-${port}`,
    logger,
    http: { port },
  };
};

async function settled(probe: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!probe() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return probe();
}

describe('a start-up', () => {
  it('that fails for good releases the port and every connection', async () => {
    const before = stack.broker.broker.connectionCount();
    const port = await freePort();
    // Fewer partitions than the cluster's topics have: the plan is refused, which no wait mends.
    const refused = { ...topology, topics: topology.topics.map((t) => ({ ...t, partitions: 1 })) };
    await expect(
      startApp({
        application,
        ...options(port),
        registryUrl: stack.registry.url,
        topology: refused,
      }),
    ).rejects.toThrow(/does not match the topology/);
    await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toThrow();
    expect(await settled(() => stack.broker.broker.connectionCount() <= before)).toBe(true);
  });

  it('that waits for the registry answers live, not ready with the reason, and releases everything when aborted', async () => {
    const before = stack.broker.broker.connectionCount();
    const port = await freePort();
    const abort = new AbortController();
    const starting = startApp({
      application,
      ...options(port),
      registryUrl: `http://127.0.0.1:${await freePort()}`,
      signal: abort.signal,
    });
    starting.catch(() => undefined);
    const url = `http://127.0.0.1:${port}`;
    let ready: { status: number; body: Record<string, unknown> } | undefined;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const reply = await fetch(`${url}/health/ready`).catch(() => undefined);
      ready = reply && { status: reply.status, body: (await reply.json()) as Record<string, unknown> };
      if (ready?.body.error !== undefined) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(ready).toMatchObject({
      status: 503,
      body: { status: 'STARTING', step: 'registering the schemas', waitingFor: 'the schema registry' },
    });
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    abort.abort();
    await expect(starting).rejects.toThrow(/abort/i);
    await expect(fetch(`${url}/health/live`)).rejects.toThrow();
    expect(await settled(() => stack.broker.broker.connectionCount() <= before)).toBe(true);
  });
});
