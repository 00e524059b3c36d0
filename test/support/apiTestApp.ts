import pino from 'pino';
import { expect } from 'vitest';
import { type AppHandle, type AppOptions, startApp } from '../../src/app/startApp.js';
import { startTestStack, type TestStack } from './embeddedStack.js';
import { KesClient, type Reply } from './kesClient.js';
import { tempDir } from './tempDir.js';
import { application } from '../../topology/application.js';

/** An answer of the API, loosely typed for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Answer = Reply<any>;

/** How long a query waits for its `?after=` position before answering 504. */
export const QUERY_WAIT_MS = 3000;

const logger = pino({ level: process.env.KES_TEST_LOG_LEVEL ?? 'silent' });

/**
 * The HTTP API of kes instances (in process) on an embedded stack, over real HTTP, and the
 * requests its integration tests make. The first instance started is the one asked by default.
 */
export class ApiTestApp {
  /** The instances, numbered in the order they started. */
  readonly client = new KesClient();
  private readonly apps: AppHandle[] = [];
  private readonly dirs: { remove(): void }[] = [];
  private stack: TestStack | undefined;

  /** Started by `start()`, before the tests (in `beforeAll`); `stop()` after them. */
  constructor(private readonly instanceId: string) {}

  /** The stack and the first instance, ready. */
  async start(options: Partial<AppOptions> = {}): Promise<void> {
    this.stack = await startTestStack();
    await this.startInstance(this.instanceId, options);
  }

  /** The embedded broker (for its fault hooks). */
  get broker(): TestStack['broker'] {
    return this.stack!.broker;
  }

  /** The first instance. */
  get app(): AppHandle {
    return this.apps[0]!;
  }

  /** Starts another instance on the stack, with its own data directory; resolves with its number. */
  async startInstance(instanceId: string, options: Partial<AppOptions> = {}): Promise<number> {
    const dir = tempDir('kes-api-');
    this.dirs.push(dir);
    const stack = this.stack!;
    const started = await startApp({
      application,
      brokers: [stack.broker.broker.bootstrap],
      registryUrl: stack.registry.url,
      dataDir: dir.path,
      instanceId,
      env: { KES_INVOICE_BASE_URL: 'https://invoices.test/' },
      logger,
      http: { port: 0, limits: { queryWaitMs: QUERY_WAIT_MS } },
      ...options,
    });
    this.apps.push(started);
    await started.streams.whenReady();
    return this.client.add(started.url!);
  }

  /** POSTs a command to instance `at`: `body` is sent as JSON unless it is a string already. */
  command(type: string, body: unknown, headers: Record<string, string> = {}, at = 0): Promise<Answer> {
    return this.client.call(`/commands/${type}`, { at, method: 'POST', body, headers });
  }

  get(path: string): Promise<Answer> {
    return this.client.call(path);
  }

  /** A command that must be accepted; its answer's body. */
  async accepted(type: string, data: unknown, headers: Record<string, string> = {}) {
    const { status, body } = await this.command(type, data, headers);
    expect({ status, body }).toMatchObject({ status: 200, body: { position: expect.any(String) } });
    return body as { commandId: string; aggregateId: string; version: number; position: string };
  }

  addProduct(productId: string, initialStock = 10) {
    return this.accepted('AddProduct', { productId, name: `Product ${productId}`, initialStock });
  }

  /** Closes the instances (the last started first) and the stack, and removes their data. */
  async stop(): Promise<void> {
    for (const app of this.apps.reverse()) await app.close();
    await this.stack?.stop();
    for (const dir of this.dirs) dir.remove();
  }
}
