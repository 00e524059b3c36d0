import * as fs from 'node:fs';
import * as path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../test/support/embeddedStack.js';
import { KesClient } from '../../test/support/kesClient.js';
import { tempDir } from '../../test/support/tempDir.js';
import { type AppHandle, startApp } from '../app/startApp.js';
import { application } from '../../topology/application.js';

/**
 * A view rebuilt while it serves queries: the new generation is built from offset 0 beside the
 * serving one, queries switch to it once it has caught up, and every query during the rebuild
 * is answered — with the same rows before and after.
 */
let stack: TestStack;
let app: AppHandle;
let dataDir: { path: string; remove(): void };
let client: KesClient;
const logger = pino({ level: process.env.KES_TEST_LOG_LEVEL ?? 'silent' });

beforeAll(async () => {
  stack = await startTestStack();
  dataDir = tempDir('kes-rebuild-');
  app = await startApp({
    application,
    brokers: [stack.broker.broker.bootstrap],
    registryUrl: stack.registry.url,
    dataDir: dataDir.path,
    instanceId: 'rebuild-test',
    http: { port: 0 },
    views: { retireAfterMs: 500, checkIntervalMs: 100 },
    logger,
  });
  await app.streams.whenReady();
  client = new KesClient([app.url!]);
}, 120_000);

afterAll(async () => {
  await app.close();
  await stack.stop();
  dataDir.remove();
});

const call = (method: string, url: string, body?: unknown) => client.call(url, { method, body });
const allRows = (view: string, extra = '') => client.all(`/views/${view}?limit=7${extra}`);

async function waitForState(view: string, done: (s: Record<string, unknown>) => boolean) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { body } = await call('GET', `/admin/views/${view}`);
    if (done(body)) return body;
    if (Date.now() > deadline) throw new Error(`view ${view} stuck at ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a view rebuild', () => {
  it('stays available while the new generation is built, switches, and ends identical', async () => {
    for (let i = 0; i < 40; i++) {
      const added = await call('POST', '/commands/AddProduct', {
        productId: `p-${String(i).padStart(2, '0')}`,
        name: `Product ${i}`,
        initialStock: 100,
      });
      expect(added.status).toBe(200);
    }
    let last = '';
    for (let i = 0; i < 30; i++) {
      const placed = await call('POST', '/commands/PlaceOrder', {
        orderId: `o-${i}`,
        customerId: `c-${i % 4}`,
        customerName: `Customer ${i % 4}`,
        items: [{ productId: `p-${String(i % 40).padStart(2, '0')}`, quantity: 1, unitPrice: 100 }],
      });
      expect(placed.status).toBe(200);
      last = placed.body.position as string;
    }
    // The saga confirms each order and the invoicing policy invoices it: wait for the last invoice.
    await expect
      .poll(
        async () => (await call('GET', `/views/orders-with-invoices/o-29?after=${last}`)).body.invoiceUrl,
        {
          timeout: 30_000,
        },
      )
      .toBeTruthy();
    const products = await allRows('products');
    const customers = await Promise.all(
      [0, 1, 2, 3].map((c) => allRows('orders-with-invoices', `&customerId=c-${c}`)),
    );
    expect(products).toHaveLength(40);
    expect(customers.flat()).toHaveLength(30);

    // Queries run throughout the rebuild; every one must be answered.
    let querying = true;
    const statuses: number[] = [];
    const queries = (async () => {
      while (querying) {
        const [one, list] = await Promise.all([
          call('GET', `/views/products/p-${String(statuses.length % 40).padStart(2, '0')}`),
          call('GET', `/views/orders-with-invoices?customerId=c-${statuses.length % 4}`),
        ]);
        statuses.push(one.status, list.status);
      }
    })();

    const requested = await call('POST', '/admin/views/products/rebuild');
    expect(requested).toMatchObject({ status: 202, body: { view: 'products', active: 1, building: 2 } });
    // One rebuild at a time.
    expect((await call('POST', '/admin/views/products/rebuild')).body).toMatchObject({
      code: 'REBUILD_IN_PROGRESS',
    });
    expect((await call('POST', '/admin/views/orders-with-invoices/rebuild')).status).toBe(202);
    await waitForState('products', (s) => s.active === 2 && s.building === null);
    await waitForState('orders-with-invoices', (s) => s.active === 2 && s.building === null);
    // Writes after the switch reach the new generation.
    const more = await call('POST', '/commands/IncreaseStock', { productId: 'p-00', quantity: 5 });
    expect(more.status).toBe(200);
    const row = await call('GET', `/views/products/p-00?after=${more.body.position as string}`);
    expect(row.body).toMatchObject({ version: more.body.version as number });
    querying = false;
    await queries;

    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const rebuilt = await allRows('products');
    expect(rebuilt.filter((p) => (p as { productId: string }).productId !== 'p-00')).toEqual(
      products.filter((p) => (p as { productId: string }).productId !== 'p-00'),
    );
    expect(
      await Promise.all([0, 1, 2, 3].map((c) => allRows('orders-with-invoices', `&customerId=c-${c}`))),
    ).toEqual(customers);
    expect(await call('GET', '/admin/views/nope')).toMatchObject({
      status: 404,
      body: { code: 'UNKNOWN_VIEW' },
    });

    // The replaced generation is retired: its local stores are deleted.
    await expect
      .poll(() => fs.existsSync(path.join(dataDir.path, 'products-view')), { timeout: 10_000 })
      .toBe(false);
    expect(fs.existsSync(path.join(dataDir.path, 'products-view.g2'))).toBe(true);
  });
});
