import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin } from 'kafkajs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../test/support/embeddedStack.js';
import { readTopic } from '../../test/support/readTopic.js';
import { tempDir } from '../../test/support/tempDir.js';
import { topology } from '../../topology/index.js';
import { type AppHandle, type AppOptions, startApp } from '../app/startApp.js';
import { CloudEventHeaders } from '../commands/cloudEvents.js';
import { PUBLIC_COMMANDS } from './apiContext.js';

/**
 * The HTTP API of one kes instance on the embedded stack, over real HTTP: commands and their
 * outcomes, bad input refused with its code before anything is appended, views page by page and
 * after a write, event history and temporal queries, health, metrics and the OpenAPI document.
 */
const logger = pino({ level: process.env.KES_TEST_LOG_LEVEL ?? 'silent' });
const QUERY_WAIT_MS = 3000;
let stack: TestStack;
let app: AppHandle;
let admin: Admin;
const dirs: { remove(): void }[] = [];
const apps: AppHandle[] = [];

async function start(instanceId: string, options: Partial<AppOptions> = {}): Promise<AppHandle> {
  const dir = tempDir('kes-api-');
  dirs.push(dir);
  const started = await startApp({
    brokers: [stack.broker.broker.bootstrap],
    registryUrl: stack.registry.url,
    dataDir: dir.path,
    instanceId,
    invoiceBaseUrl: 'https://invoices.test/',
    logger,
    http: { port: 0, limits: { queryWaitMs: QUERY_WAIT_MS } },
    ...options,
  });
  apps.push(started);
  await started.streams.whenReady();
  return started;
}

beforeAll(async () => {
  stack = await startTestStack();
  app = await start('api-test');
  admin = app.kafka.admin();
  await admin.connect();
}, 120_000);

afterAll(async () => {
  await admin?.disconnect();
  for (const a of apps.reverse()) await a.close();
  await stack?.stop();
  for (const dir of dirs) dir.remove();
});

interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  const json = response.headers.get('content-type')?.startsWith('application/json');
  return { status: response.status, body: json ? JSON.parse(text) : text };
}

/** POSTs a command: `body` is sent as JSON unless it is a string already. */
async function command(
  type: string,
  body: unknown,
  headers: Record<string, string> = {},
  url = app.url,
): Promise<Answer> {
  return answer(
    await fetch(`${url}/commands/${type}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

const get = async (path: string): Promise<Answer> => answer(await fetch(`${app.url}${path}`));

/** A command that must be accepted; its answer's body. */
async function accepted(type: string, data: unknown, headers: Record<string, string> = {}) {
  const { status, body } = await command(type, data, headers);
  expect({ status, body }).toMatchObject({ status: 200, body: { position: expect.any(String) } });
  return body as { commandId: string; aggregateId: string; version: number; position: string };
}

const addProduct = (productId: string, initialStock = 10) =>
  accepted('AddProduct', { productId, name: `Product ${productId}`, initialStock });

/** Every page of a listing, following `next`, as [page sizes, items]. */
async function allPages(path: string, limit: number) {
  const items: { [k: string]: unknown }[] = [];
  const sizes: number[] = [];
  let cursor: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const query: string = `${separator}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
    const { status, body } = await get(path + query);
    expect(status).toBe(200);
    sizes.push(body.items.length);
    items.push(...body.items);
    cursor = body.next;
  } while (cursor !== null && sizes.length < 100);
  return { sizes, items };
}

/** The end offset of every partition of every commands and events topic. */
async function endOffsets(): Promise<Record<string, string>> {
  const topics = topology.topics.map((t) => t.name).filter((t) => /\.(commands|events)$/.test(t));
  const ends: Record<string, string> = {};
  for (const topic of topics) {
    for (const { partition, high } of await admin.fetchTopicOffsets(topic))
      ends[`${topic}:${partition}`] = high;
  }
  return ends;
}

describe('bad input', () => {
  let before: Record<string, string>;
  const item = { productId: 'bad-apple', quantity: 1, unitPrice: 100 };
  const order = { orderId: 'bad-order', customerId: 'C-1', customerName: 'Ada', items: [item] };

  beforeAll(async () => {
    await addProduct('bad-apple');
    before = await endOffsets();
    expect(Object.keys(before)).toHaveLength(6 * 6);
  });

  const increase = { productId: 'bad-apple', quantity: 1 };
  it.each<[string, number, string, () => Promise<Answer>, Record<string, unknown>?]>([
    ['malformed JSON', 400, 'INVALID_JSON', () => command('AddProduct', '{"productId": "x",')],
    ['an empty JSON body', 400, 'INVALID_JSON', () => command('AddProduct', '')],
    [
      'a wrong type',
      400,
      'INVALID_PAYLOAD',
      () => command('AddProduct', { productId: 'x', name: 'X', initialStock: 'ten' }),
      { field: 'initialStock' },
    ],
    [
      'a missing field',
      400,
      'INVALID_PAYLOAD',
      () => command('AddProduct', { productId: 'x', initialStock: 1 }),
      { field: 'name' },
    ],
    [
      'an undeclared field',
      400,
      'INVALID_PAYLOAD',
      () => command('PlaceOrder', { ...order, coupon: 'FREE' }),
      { field: 'coupon' },
    ],
    [
      'a wrong type in a nested record',
      400,
      'INVALID_PAYLOAD',
      () => command('PlaceOrder', { ...order, items: [item, { ...item, quantity: 'two' }] }),
      { field: 'items.1.quantity' },
    ],
    [
      'an undeclared field in a nested record',
      400,
      'INVALID_PAYLOAD',
      () => command('PlaceOrder', { ...order, items: [{ ...item, discount: 5 }] }),
      { field: 'items.0.discount' },
    ],
    ['a body that is not an object', 400, 'INVALID_PAYLOAD', () => command('CancelOrder', 'null')],
    [
      'an unknown command',
      404,
      'UNKNOWN_COMMAND',
      () => command('Teleport', { orderId: 'x' }),
      { command: 'Teleport', commands: [...PUBLIC_COMMANDS] },
    ],
    [
      'an internal command (the saga’s ReserveStock)',
      404,
      'UNKNOWN_COMMAND',
      () => command('ReserveStock', { ...increase, orderId: 'o', lineNumber: 0 }),
    ],
    [
      'an oversized body',
      413,
      'PAYLOAD_TOO_LARGE',
      () => command('AddProduct', { productId: 'big', name: 'x'.repeat(100_000), initialStock: 1 }),
    ],
    [
      'text/plain',
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      () => command('AddProduct', 'productId=x', { 'content-type': 'text/plain' }),
    ],
    [
      'a malformed If-Match',
      400,
      'INVALID_REQUEST',
      () => command('IncreaseStock', increase, { 'if-match': 'latest' }),
      { field: 'If-Match' },
    ],
    [
      'a malformed Idempotency-Key',
      400,
      'INVALID_REQUEST',
      () => command('IncreaseStock', increase, { 'idempotency-key': 'k'.repeat(201) }),
      { field: 'Idempotency-Key' },
    ],
    ['an unknown view', 404, 'UNKNOWN_VIEW', () => get('/views/nope'), { view: 'nope' }],
    ['a key of an unknown view', 404, 'UNKNOWN_VIEW', () => get('/views/nope/bad-apple')],
    ['an unknown key', 404, 'NOT_FOUND', () => get('/views/products/no-such'), { key: 'no-such' }],
    ['an unknown aggregate', 404, 'NOT_FOUND', () => get('/aggregates/stock/no-such/events')],
    ['an unknown domain', 404, 'UNKNOWN_DOMAIN', () => get('/aggregates/planets/x')],
    ['an unknown route', 404, 'ROUTE_NOT_FOUND', () => get('/nowhere')],
    ['a bad after', 400, 'INVALID_POSITION', () => get('/views/products?after=latest'), { field: 'after' }],
    ['a bad after on a key', 400, 'INVALID_POSITION', () => get('/views/products/bad-apple?after=s:1')],
    ['a bad after on a history', 400, 'INVALID_POSITION', () => get('/aggregates/stock/x/events?after=x')],
    ['limit 0', 400, 'INVALID_REQUEST', () => get('/views/products?limit=0'), { field: 'limit' }],
    ['limit 501', 400, 'INVALID_REQUEST', () => get('/views/products?limit=501'), { field: 'limit' }],
    ['limit ten', 400, 'INVALID_REQUEST', () => get('/views/products?limit=ten'), { field: 'limit' }],
    ['a forged cursor', 400, 'INVALID_REQUEST', () => get('/views/products?cursor=%25'), { field: 'cursor' }],
    [
      'an empty index value',
      400,
      'INVALID_REQUEST',
      () => get('/views/orders-with-invoices?customerId='),
      { field: 'customerId' },
    ],
    ['a bad at', 400, 'INVALID_REQUEST', () => get('/aggregates/stock/bad-apple?at=never'), { field: 'at' }],
  ])('%s: %i %s', async (_case, status, code, request, details = {}) => {
    const { status: actual, body } = await request();
    expect({ status: actual, body }).toMatchObject({
      status,
      body: { code, message: expect.any(String), ...details },
    });
  });

  it('appended nothing to any commands or events topic', async () => {
    expect(await endOffsets()).toEqual(before);
  });
});

describe('command outcomes', () => {
  it('accepts a command: 200 with its events and the position of the last one', async () => {
    const { status, body } = await command('AddProduct', {
      productId: 'kettle',
      name: 'Kettle',
      initialStock: 5,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      commandId: expect.any(String),
      aggregateId: 'kettle',
      version: 1,
      events: [{ type: 'kes.stock.ProductAdded', id: expect.any(String), sequence: 1 }],
      position: expect.stringMatching(/^stock\.events:\d+:\d+$/),
    });
  });

  it('answers 409 VERSION_CONFLICT when If-Match is not the version, and accepts the right one', async () => {
    const increase = { productId: 'kettle', quantity: 1 };
    expect(await command('IncreaseStock', increase, { 'if-match': '"7"' })).toMatchObject({
      status: 409,
      body: { code: 'VERSION_CONFLICT', aggregateId: 'kettle', version: 1 },
    });
    expect(await command('IncreaseStock', increase, { 'if-match': 'W/"1"' })).toMatchObject({
      status: 200,
      body: { version: 2 },
    });
  });

  it('answers 422 COMMAND_REJECTED naming the rule, and appends nothing', async () => {
    expect(
      await command('AddProduct', { productId: 'kettle', name: 'Again', initialStock: 1 }),
    ).toMatchObject({
      status: 422,
      body: { code: 'COMMAND_REJECTED', rejection: { code: 'PRODUCT_ALREADY_EXISTS' }, version: 2 },
    });
    expect(await command('DecreaseStock', { productId: 'kettle', quantity: 99 })).toMatchObject({
      status: 422,
      body: { code: 'COMMAND_REJECTED', rejection: { code: 'INSUFFICIENT_STOCK' }, version: 2 },
    });
    expect(await command('IncreaseStock', { productId: 'kettle', quantity: 1 })).toMatchObject({
      status: 200,
      body: { version: 3 },
    });
  });

  it('answers the same Idempotency-Key sent twice with the first result, appending once', async () => {
    const headers = { 'idempotency-key': 'kettle-restock-1' };
    const first = await command('IncreaseStock', { productId: 'kettle', quantity: 4 }, headers);
    const second = await command('IncreaseStock', { productId: 'kettle', quantity: 4 }, headers);
    expect(first).toMatchObject({ status: 200, body: { commandId: 'kettle-restock-1', version: 4 } });
    expect(second).toEqual(first);
    const appended = (await readTopic(app.kafka, 'stock.events')).filter(
      (r) => r.message.headers?.[CloudEventHeaders.causationId]?.toString() === 'kettle-restock-1',
    );
    expect(appended).toHaveLength(1);
  });

  it('answers 202 PENDING when the result does not come within the wait, then the result on a resend', async () => {
    // An instance running no processors, waiting 1 ms: the command is handled by `app`, which
    // takes a transaction and a fetch at least, so the wait always ends first.
    const impatient = await start('api-test-impatient', {
      processors: [],
      http: { port: 0, limits: { commandTimeoutMs: 1 } },
    });
    const data = { productId: 'teapot', name: 'Teapot', initialStock: 3 };
    const headers = { 'idempotency-key': 'teapot-add' };
    expect(await command('AddProduct', data, headers, impatient.url)).toMatchObject({
      status: 202,
      body: { commandId: 'teapot-add', aggregateId: 'teapot', status: 'PENDING' },
    });
    expect(await command('AddProduct', data, headers)).toMatchObject({
      status: 200,
      body: { commandId: 'teapot-add', version: 1 },
    });
  });
});

describe('queries', () => {
  it('pages through a view in key order, every row exactly once', async () => {
    const ids = [
      'pg-07',
      'pg-03',
      'pg-11',
      'pg-01',
      'pg-05',
      'pg-09',
      'pg-02',
      'pg-10',
      'pg-04',
      'pg-08',
      'pg-06',
    ];
    for (const id of ids) {
      const { position } = await addProduct(id);
      expect((await get(`/views/products/${id}?after=${position}`)).status).toBe(200);
    }
    const everything = await get('/views/products?limit=500');
    expect(everything.body.next).toBeNull();
    const all = (everything.body.items as { productId: string }[]).map((r) => r.productId);
    expect(all).toEqual(expect.arrayContaining(ids));
    expect(all).toEqual([...all].sort());
    for (const limit of [1, 2, 3, 5]) {
      const { sizes, items } = await allPages('/views/products', limit);
      expect(items.map((r) => r.productId)).toEqual(all);
      expect(sizes.every((s) => s <= limit)).toBe(true);
    }
  });

  it('reads its own write with ?after=, and times out on a position not reached', async () => {
    const { position, version } = await accepted('IncreaseStock', { productId: 'pg-01', quantity: 7 });
    expect(await get(`/views/products/pg-01?after=${position}`)).toMatchObject({
      status: 200,
      body: { productId: 'pg-01', available: 17, reserved: 0, version },
    });
    const listed = await get(`/views/products?after=${position}&limit=500`);
    expect(listed.body.items).toContainEqual(expect.objectContaining({ productId: 'pg-01', available: 17 }));
    const [topic, partition, offset] = position.split(':');
    const future = `${topic}:${partition}:${Number(offset) + 1_000_000}`;
    const started = Date.now();
    expect(await get(`/views/products/pg-01?after=${future}`)).toMatchObject({
      status: 504,
      body: { code: 'POSITION_TIMEOUT' },
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(QUERY_WAIT_MS - 100);
  });

  it('pages through a customer’s orders (the index), and only theirs', async () => {
    await addProduct('widget', 1000);
    const item = { productId: 'widget', quantity: 1, unitPrice: 250 };
    const orders = ['ord-4', 'ord-2', 'ord-5', 'ord-1', 'ord-3'];
    const place = (orderId: string, customerId: string) =>
      accepted('PlaceOrder', { orderId, customerId, customerName: 'Ada', items: [item] });
    const other = await place('ord-6', 'cust-pg2'); // a customer id the first one is a prefix of
    for (const orderId of orders) {
      const { position } = await place(orderId, 'cust-pg');
      const { body } = await get(`/views/orders-with-invoices?customerId=cust-pg&after=${position}`);
      expect(body.items.map((r: { orderId: string }) => r.orderId)).toContain(orderId);
    }
    for (const limit of [1, 2, 5, 10]) {
      const { items } = await allPages('/views/orders-with-invoices?customerId=cust-pg', limit);
      expect(items.map((r) => r.orderId)).toEqual([...orders].sort());
      expect(items.every((r) => r.customerId === 'cust-pg' && r.customerName === 'Ada')).toBe(true);
    }
    const theOther = await get(`/views/orders-with-invoices?customerId=cust-pg2&after=${other.position}`);
    expect(theOther.body).toMatchObject({
      items: [{ orderId: 'ord-6', customerId: 'cust-pg2' }],
      next: null,
    });
    expect((await get('/views/orders-with-invoices?customerId=nobody')).body).toEqual({
      items: [],
      next: null,
    });
  });

  it('joins an order and its invoice in the orders views once the saga has confirmed it', async () => {
    const deadline = Date.now() + 30_000;
    let row: Answer;
    do {
      row = await get('/views/orders/ord-1');
      if (row.body.invoice) break;
      await sleep(100);
    } while (Date.now() < deadline);
    expect(row.body).toMatchObject({
      orderId: 'ord-1',
      status: 'CONFIRMED',
      customerId: 'cust-pg',
      total: 250,
      invoice: { invoiceId: 'INV-ord-1', invoiceUrl: 'https://invoices.test/INV-ord-1', amount: 250 },
    });
    expect((await get('/views/orders-with-invoices/ord-1')).body).toMatchObject({
      status: 'CONFIRMED',
      invoiceUrl: 'https://invoices.test/INV-ord-1',
    });
  });

  it('gives an aggregate’s history, and its state at a version or a time', async () => {
    const added = await addProduct('clock', 10);
    await sleep(5);
    const increased = await accepted('IncreaseStock', { productId: 'clock', quantity: 3 });
    await sleep(5);
    const decreased = await accepted('DecreaseStock', { productId: 'clock', quantity: 2 });
    const { status, body } = await get(`/aggregates/stock/clock/events?after=${decreased.position}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ domain: 'stock', aggregateId: 'clock', version: 3 });
    expect(body.events).toMatchObject([
      { type: 'ProductAdded', sequence: 1, causationId: added.commandId, position: added.position },
      { type: 'StockIncreased', sequence: 2, causationId: increased.commandId, data: { quantity: 3 } },
      { type: 'StockDecreased', sequence: 3, position: decreased.position, data: { available: 11 } },
    ]);
    const times = (body.events as { time: string }[]).map((e) => e.time);
    const at = async (value: string) =>
      (await get(`/aggregates/stock/clock?at=${encodeURIComponent(value)}`)).body;
    expect(await at('2')).toMatchObject({ version: 2, asOf: times[1], state: { available: 13 } });
    expect(await at('1')).toMatchObject({ version: 1, state: { name: 'Product clock', available: 10 } });
    expect(await at(times[1]!)).toMatchObject({ version: 2, state: { available: 13 } });
    expect(await at(new Date(Date.parse(times[2]!) - 1).toISOString())).toMatchObject({ version: 2 });
    expect(await at('2000-01-01T00:00:00Z')).toMatchObject({ version: 0, asOf: null });
    expect((await get('/aggregates/stock/clock')).body).toMatchObject({
      version: 3,
      state: { available: 11 },
    });
  });
});

describe('operations', () => {
  it('is live and ready', async () => {
    expect(await get('/health/live')).toEqual({ status: 200, body: { status: 'UP' } });
    const ready = await get('/health/ready');
    expect(ready).toMatchObject({ status: 200, body: { status: 'READY' } });
    expect(ready.body.processors['products-view']).toMatchObject({
      ready: true,
      partitions: [0, 1, 2, 3, 4, 5],
    });
  });

  it('serves Prometheus metrics', async () => {
    const { status, body } = await get('/metrics');
    expect(status).toBe(200);
    expect(body).toMatch(/^kes_records_processed_total\{processor="stock-commands"\} \d+$/m);
    expect(body).toMatch(/^kes_consumer_lag\{processor="[^"]+",topic="[^"]+",partition="\d"\} \d+$/m);
    expect(body).toMatch(/^kes_command_duration_seconds_count\{type="AddProduct",status="ACCEPTED"\} \d+$/m);
    expect(body).toMatch(/^kes_command_duration_seconds_count\{type="AddProduct",status="REJECTED"\} \d+$/m);
    expect(body).toContain('# TYPE kes_restore_records_total counter');
  });

  it('describes itself in OpenAPI at /docs/json, public commands only', async () => {
    const { status, body } = await get('/docs/json');
    expect(status).toBe(200);
    expect(body.openapi).toMatch(/^3\./);
    const paths = Object.keys(body.paths);
    for (const type of PUBLIC_COMMANDS) expect(paths).toContain(`/commands/${type}`);
    expect(paths.filter((p) => p.startsWith('/commands/'))).toHaveLength(PUBLIC_COMMANDS.length);
    expect(paths).toEqual(expect.arrayContaining(['/views/{view}', '/views/{view}/{key}']));
    expect(paths.some((p) => p.startsWith('/internal'))).toBe(false);
    const placeOrder = body.paths['/commands/PlaceOrder'].post.requestBody.content['application/json'].schema;
    expect(placeOrder).toMatchObject({
      additionalProperties: false,
      required: ['orderId', 'customerId', 'customerName', 'items'],
    });
  });
});
