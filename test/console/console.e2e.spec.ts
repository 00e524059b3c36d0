import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createSigner } from 'fast-jwt';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, spawnApp } from '../support/appProcess.js';
import { tempDir } from '../support/tempDir.js';
import { embeddedCluster, type TestCluster } from '../support/testCluster.js';

/**
 * The console in a real browser (Debian's Chromium, driven by Playwright) against a `kes app` with
 * the API's JWT auth on, as an operator uses it: signs in with an admin's token, finds an order the
 * test placed, follows its events and what the saga did, sends a command from the form generated
 * from its Avro schema, rebuilds a view following its progress to the switch, replays a dead
 * letter, reads schemas and tails a topic. A screenshot of each page is saved
 * (KES_CONSOLE_SCREENSHOTS, default test-results/console).
 */
const CHROMIUM = process.env.KES_CHROMIUM ?? '/usr/bin/chromium';
const SECRET = 'console-e2e-secret';
const sign = createSigner({ key: SECRET, algorithm: 'HS256', expiresIn: 3_600_000 });
const ADMIN = sign({ sub: 'ops@example.com', role: 'admin' });
const CUSTOMER = sign({ sub: 'ada', role: 'customer', customerId: 'c-ada' });
const shots = path.resolve(
  process.env.KES_CONSOLE_SCREENSHOTS ?? path.join(import.meta.dirname, '../../test-results/console'),
);

let cluster: TestCluster;
let app: AppProcess;
let browser: Browser;
const dir = tempDir('kes-console-');

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (or set KES_CHROMIUM)`);
  }
  fs.mkdirSync(shots, { recursive: true });
  cluster = await embeddedCluster();
  [app, browser] = await Promise.all([
    spawnApp({
      brokers: cluster.bootstrap,
      registry: cluster.registryUrl,
      dataDir: dir.path,
      instanceId: 'console',
      env: { KES_JWT_SECRET: SECRET },
    }),
    chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] }),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await cluster?.stop();
  dir.remove();
});

async function command(type: string, data: unknown, token = ADMIN) {
  const reply = await fetch(`${app.url}/commands/${type}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'idempotency-key': randomUUID(),
    },
    body: JSON.stringify(data),
  });
  return { status: reply.status, body: (await reply.json()) as Record<string, unknown> };
}

/** What a locator shows, polled until it matches (Playwright's own actions wait for their elements). */
const text = (locator: Locator, timeout = 10_000) =>
  expect.poll(() => locator.innerText({ timeout: 1000 }).catch(() => ''), { timeout, interval: 200 });
const texts = (locator: Locator, timeout = 10_000) =>
  expect.poll(() => locator.allInnerTexts(), { timeout, interval: 200 });
const count = (locator: Locator, timeout = 10_000) =>
  expect.poll(() => locator.count(), { timeout, interval: 200 });

async function shot(page: Page, name: string) {
  // From the top: the navigation bar sticks to the top of what is in view.
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

/** A page signed in with the admin's token, as an operator would paste it. */
async function signedIn(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(`${app.url}/`);
  await page.getByLabel('token').fill(ADMIN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await text(page.getByLabel('readiness'), 30_000).toBe('READY');
  return page;
}

describe('the console, with JWT auth on', () => {
  it('serves its page and assets without a token, and shows nothing without an admin’s', async () => {
    const index = await fetch(`${app.url}/`);
    expect(index.status).toBe(200);
    const html = await index.text();
    // Everything it loads is its own: no other host.
    expect(html).not.toMatch(/https?:\/\//);
    for (const asset of ['console/console.js', 'console/console.css']) {
      const answer = await fetch(`${app.url}/${asset}`);
      expect(answer.status, asset).toBe(200);
      expect((await answer.text()).length, asset).toBeGreaterThan(1000);
    }
    const refused = await fetch(`${app.url}/admin/topology`);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ code: 'UNAUTHORIZED' });
    const page = await browser.newPage();
    await page.goto(`${app.url}/`);
    await text(page.getByRole('form', { name: 'sign in' })).toContain('requires a bearer token');
    await page.getByLabel('token').fill(CUSTOMER);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await text(page.getByRole('form', { name: 'sign in' })).toContain('for admins only');
    await shot(page, '0-sign-in');
    await page.close();
  });

  it('shows the overview: readiness, lag, instances, the topology', async () => {
    const page = await signedIn();
    const topology = (await (
      await fetch(`${app.url}/admin/topology`, { headers: { authorization: `Bearer ${ADMIN}` } })
    ).json()) as { processors: unknown[] };
    await count(page.locator('.diagram .node-processor')).toBe(topology.processors.length);
    await count(page.getByRole('table', { name: 'consumer lag' }).locator('tbody tr'), 15_000).toBe(
      topology.processors.length,
    );
    await text(page.getByRole('table', { name: 'instances' })).toContain('this one');
    // The lag is read again every 2 s: its time moves on.
    const updated = await page.getByLabel('lag updated').innerText();
    await text(page.getByLabel('lag updated')).not.toBe(updated);
    // Live: the rate needs two samples of the counters.
    await text(page.getByLabel('records per second'), 15_000).toMatch(/^\d+\.\d$/);
    await shot(page, '1-overview');
    await page.close();
  });

  it('finds an order, shows its events and what the saga did, and sends a command from the form', async () => {
    const productId = `p-${randomUUID().slice(0, 8)}`;
    const orderId = `o-${randomUUID().slice(0, 8)}`;
    expect((await command('AddProduct', { productId, name: 'Lamp', initialStock: 5 })).status).toBe(200);
    const placed = await command('PlaceOrder', {
      orderId,
      customerId: 'c-ada',
      customerName: 'Ada',
      items: [{ productId, quantity: 2, unitPrice: 1250 }],
    });
    expect(placed.status).toBe(200);

    const page = await signedIn();
    await page.getByRole('link', { name: 'Aggregates' }).click();
    await page.getByLabel('domain').selectOption('orders');
    // Typing the start of the id lists the orders it starts; the order is one of them.
    await page.getByLabel('aggregate id').fill(orderId.slice(0, 6));
    const match = page
      .getByRole('list', { name: 'matching aggregates' })
      .getByRole('link', { name: orderId });
    await match.waitFor({ timeout: 15_000 });
    await shot(page, '2-search');
    await match.click();
    const events = page.getByRole('list', { name: 'events' });
    await text(events).toContain('OrderPlaced');
    // The saga reserved the stock and confirmed the order: its state, and the event it caused.
    await text(events, 30_000).toContain('OrderConfirmed');
    await text(page.getByLabel('saga order-fulfilment')).toContain('"reservation": "RESERVED"');
    // Time travel: the state at version 1 is the order as placed.
    await page.getByRole('button', { name: 'state here' }).first().click();
    await text(page.getByLabel('shown version')).toBe('1');
    await text(page.getByLabel('state')).toContain('"status": "PLACED"');
    await shot(page, '2-aggregate');

    // The whole flow: the events of every aggregate the order's correlation reached.
    await page.getByRole('link', { name: 'the whole flow ›' }).click();
    const flow = page.getByRole('list', { name: 'trace events' });
    await text(flow, 30_000).toContain('StockReserved');
    await text(flow).toContain(`stock/${productId}`);
    await text(flow).toContain('OrderConfirmed');
    await shot(page, '3-trace');

    // A command from the form generated from ShipOrder's Avro schema, with If-Match.
    await page.goBack();
    await page.getByLabel('command type').selectOption('ShipOrder');
    await page.getByLabel('ShipOrder.orderId').fill(orderId);
    await page.getByLabel('ShipOrder.carrier').fill('Parcel Co');
    await page.getByLabel('ShipOrder.trackingCode').fill('TRACK-42');
    const version = Number(await page.getByLabel('If-Match').inputValue());
    expect(version).toBeGreaterThanOrEqual(2);
    await page.getByRole('button', { name: 'Send ShipOrder' }).click();
    await text(page.getByLabel('command answer')).toContain('HTTP 200');
    await text(page.getByLabel('command answer')).toContain('OrderShipped');
    await text(events.locator('li.new')).toContain('OrderShipped');
    await shot(page, '4-command');
    // The same Idempotency-Key again answers the first result; a stale If-Match is a conflict.
    await page.getByLabel('command type').selectOption('CancelOrder');
    await page.getByLabel('CancelOrder.orderId').fill(orderId);
    await page.getByLabel('CancelOrder.reason').fill('changed my mind');
    await page.getByLabel('If-Match').fill('1');
    await page.getByRole('button', { name: 'Send CancelOrder' }).click();
    await text(page.getByLabel('command answer')).toContain('VERSION_CONFLICT');
    await page.close();
  });

  it('pages through a view, looks up a key and rebuilds it, following its progress to the switch', async () => {
    // More rows than a page holds (20): ids after those of the other tests, in key order.
    const run = randomUUID().slice(0, 8);
    const ids = Array.from({ length: 22 }, (_, i) => `v-${run}-${String(i).padStart(2, '0')}`);
    const added = await Promise.all(
      ids.map((productId, i) => command('AddProduct', { productId, name: `Item ${i}`, initialStock: i })),
    );
    expect(added.map((a) => a.status)).toEqual(ids.map(() => 200));
    const page = await signedIn();
    await page.getByRole('link', { name: 'Views' }).click();
    await page.getByRole('link', { name: 'products', exact: true }).click();
    const rows = page.getByRole('table', { name: 'rows' });
    await text(rows).toContain(ids[0]!);
    await page.getByRole('button', { name: 'Next ›' }).click();
    await text(page.getByLabel('page number')).toBe('page 2');
    await text(rows).toContain(ids[21]!);
    await page.getByLabel('row key').fill(ids[7]!);
    await page.getByRole('button', { name: 'Look up' }).click();
    await text(page.getByLabel('looked up row')).toContain('"name": "Item 7"');
    const before = Number((await page.getByLabel('serving generation').textContent())?.replace(/\D/g, ''));
    await page.getByRole('button', { name: 'Rebuild products' }).click();
    await page.getByRole('progressbar', { name: 'rebuild progress' }).waitFor({ timeout: 10_000 });
    await shot(page, '5-views-rebuilding');
    await page.getByLabel('rebuild done').waitFor({ timeout: 60_000 });
    await text(page.getByLabel('serving generation')).toBe(`generation ${before + 1}`);
    const log = page.getByRole('list', { name: 'rebuild log' });
    await text(log).toContain(`rebuild requested: generation ${before + 1}`);
    await text(log).toContain(`serving generation ${before + 1}`);
    await shot(page, '5-views-switched');
    await page.close();
  });

  it('lists dead letters with their error headers, and replays them', async () => {
    const producer = cluster.kafka('console-e2e-poison').producer();
    await producer.connect();
    await producer.send({
      topic: 'stock.commands',
      messages: [
        { key: 'poison', value: Buffer.from('not avro'), headers: { ce_id: `poison-${randomUUID()}` } },
      ],
    });
    await producer.disconnect();
    const page = await signedIn();
    await page.getByRole('link', { name: 'Dead letters' }).click();
    await page.getByRole('link', { name: 'stock-commands' }).click();
    const letters = page.getByRole('table', { name: 'dead letters' });
    await count(letters.locator('tbody tr'), 30_000).toBe(1);
    await letters.getByText(/headers \(/).click();
    await text(letters).toContain('kes.dlq.error');
    await texts(letters.getByLabel('replayed')).toEqual(['no']);
    await page.getByRole('button', { name: 'Replay 1' }).click();
    await text(page.getByLabel('replay result')).toContain('"replayed": 1');
    // Replayed, it was read again: still poison, so a second letter, and the first marked replayed.
    await texts(letters.getByLabel('replayed'), 30_000).toEqual(['yes', 'no']);
    await shot(page, '6-dead-letters');
    await page.close();
  });

  it('shows schemas with the diff between two versions and their compatibility', async () => {
    const page = await signedIn();
    await page.getByRole('link', { name: 'Schemas' }).click();
    await page.getByLabel('filter subjects').fill('OrderPlaced');
    await page
      .getByRole('link', { name: /OrderPlaced/ })
      .first()
      .click();
    await text(page.getByLabel('compatibility')).toMatch(/^v2 is [A-Z_]+ compatible with v1$/);
    await text(page.getByLabel('schema diff')).toContain('OrderPlaced');
    await shot(page, '7-schemas');
    await page.close();
  });

  it('tails a topic live, decoded', async () => {
    const page = await signedIn();
    await page.getByRole('link', { name: 'Live' }).click();
    await page.getByLabel('topic').selectOption('stock.events');
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByText('streaming stock.events').waitFor({ timeout: 10_000 });
    const productId = `live-${randomUUID().slice(0, 8)}`;
    // The tail's consumer starts at the end once it has joined: send until one record shows.
    const tail = page.getByRole('list', { name: 'tail' });
    await expect
      .poll(
        async () => {
          await command('AddProduct', {
            productId: `${productId}-${randomUUID().slice(0, 4)}`,
            name: 'Live lamp',
            initialStock: 1,
          });
          return tail.innerText({ timeout: 1000 }).catch(() => '');
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toContain('ProductAdded');
    await text(tail).toContain(productId);
    await shot(page, '8-live');
    await page.close();
  });
});
