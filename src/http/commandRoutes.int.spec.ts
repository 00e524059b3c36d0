import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, ApiTestApp } from '../../test/support/apiTestApp.js';
import { readTopic } from '../../test/support/readTopic.js';
import { topology } from '../../topology/index.js';
import { CloudEventHeaders } from '../commands/cloudEvents.js';
import { application } from '../../topology/application.js';

const PUBLIC_COMMANDS = application.publicCommands;

/**
 * The HTTP API of one kes instance on the embedded stack, over real HTTP: commands and their
 * outcomes, bad input (to commands and queries) refused with its code before anything is
 * appended, then health, the metrics of the commands above and the OpenAPI document.
 */
const api = new ApiTestApp('api-test');
beforeAll(() => api.start(), 120_000);
afterAll(() => api.stop());

/** The end offset of every partition of every commands and events topic. */
async function endOffsets(): Promise<Record<string, string>> {
  const topics = topology.topics.map((t) => t.name).filter((t) => /\.(commands|events)$/.test(t));
  const ends: Record<string, string> = {};
  const admin = api.app.kafka.admin();
  await admin.connect();
  try {
    for (const topic of topics) {
      for (const { partition, high } of await admin.fetchTopicOffsets(topic))
        ends[`${topic}:${partition}`] = high;
    }
  } finally {
    await admin.disconnect();
  }
  return ends;
}

describe('bad input', () => {
  let before: Record<string, string>;
  const item = { productId: 'bad-apple', quantity: 1, unitPrice: 100 };
  const order = { orderId: 'bad-order', customerId: 'C-1', customerName: 'Ada', items: [item] };

  beforeAll(async () => {
    await api.addProduct('bad-apple');
    before = await endOffsets();
    // commands and events of five domains, six partitions each
    expect(Object.keys(before)).toHaveLength(10 * 6);
  });

  const increase = { productId: 'bad-apple', quantity: 1 };
  const account = { accountId: 'victim', ownerId: 'mallory', initialDeposit: 0, overdraftLimit: 0 };
  it.each<[string, number, string, () => Promise<Answer>, Record<string, unknown>?]>([
    ['malformed JSON', 400, 'INVALID_JSON', () => api.command('AddProduct', '{"productId": "x",')],
    ['an empty JSON body', 400, 'INVALID_JSON', () => api.command('AddProduct', '')],
    [
      'a wrong type',
      400,
      'INVALID_PAYLOAD',
      () => api.command('AddProduct', { productId: 'x', name: 'X', initialStock: 'ten' }),
      { field: 'initialStock' },
    ],
    [
      'a missing field',
      400,
      'INVALID_PAYLOAD',
      () => api.command('AddProduct', { productId: 'x', initialStock: 1 }),
      { field: 'name' },
    ],
    [
      'an undeclared field',
      400,
      'INVALID_PAYLOAD',
      () => api.command('PlaceOrder', { ...order, coupon: 'FREE' }),
      { field: 'coupon' },
    ],
    [
      'a wrong type in a nested record',
      400,
      'INVALID_PAYLOAD',
      () => api.command('PlaceOrder', { ...order, items: [item, { ...item, quantity: 'two' }] }),
      { field: 'items.1.quantity' },
    ],
    [
      'an undeclared field in a nested record',
      400,
      'INVALID_PAYLOAD',
      () => api.command('PlaceOrder', { ...order, items: [{ ...item, discount: 5 }] }),
      { field: 'items.0.discount' },
    ],
    ['a body that is not an object', 400, 'INVALID_PAYLOAD', () => api.command('CancelOrder', 'null')],
    [
      'an unknown command',
      404,
      'UNKNOWN_COMMAND',
      () => api.command('Teleport', { orderId: 'x' }),
      { command: 'Teleport', commands: [...PUBLIC_COMMANDS] },
    ],
    [
      'an internal command (the saga’s ReserveStock)',
      404,
      'UNKNOWN_COMMAND',
      () => api.command('ReserveStock', { ...increase, orderId: 'o', lineNumber: 0 }),
    ],
    [
      'an oversized body',
      413,
      'PAYLOAD_TOO_LARGE',
      () => api.command('AddProduct', { productId: 'big', name: 'x'.repeat(100_000), initialStock: 1 }),
    ],
    [
      'text/plain',
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      () => api.command('AddProduct', 'productId=x', { 'content-type': 'text/plain' }),
    ],
    [
      'a malformed If-Match',
      400,
      'INVALID_REQUEST',
      () => api.command('IncreaseStock', increase, { 'if-match': 'latest' }),
      { field: 'If-Match' },
    ],
    [
      'a malformed Idempotency-Key',
      400,
      'INVALID_REQUEST',
      () => api.command('IncreaseStock', increase, { 'idempotency-key': 'k'.repeat(201) }),
      { field: 'Idempotency-Key' },
    ],
    ['an unknown view', 404, 'UNKNOWN_VIEW', () => api.get('/views/nope'), { view: 'nope' }],
    ['a key of an unknown view', 404, 'UNKNOWN_VIEW', () => api.get('/views/nope/bad-apple')],
    ['an unknown key', 404, 'NOT_FOUND', () => api.get('/views/products/no-such'), { key: 'no-such' }],
    ['an unknown aggregate', 404, 'NOT_FOUND', () => api.get('/aggregates/stock/no-such/events')],
    ['an unknown domain', 404, 'UNKNOWN_DOMAIN', () => api.get('/aggregates/planets/x')],
    ['an unknown route', 404, 'ROUTE_NOT_FOUND', () => api.get('/nowhere')],
    [
      'a bad after',
      400,
      'INVALID_POSITION',
      () => api.get('/views/products?after=latest'),
      { field: 'after' },
    ],
    ['a bad after on a key', 400, 'INVALID_POSITION', () => api.get('/views/products/bad-apple?after=s:1')],
    [
      'a bad after on a history',
      400,
      'INVALID_POSITION',
      () => api.get('/aggregates/stock/x/events?after=x'),
    ],
    ['limit 0', 400, 'INVALID_REQUEST', () => api.get('/views/products?limit=0'), { field: 'limit' }],
    ['limit 501', 400, 'INVALID_REQUEST', () => api.get('/views/products?limit=501'), { field: 'limit' }],
    ['limit ten', 400, 'INVALID_REQUEST', () => api.get('/views/products?limit=ten'), { field: 'limit' }],
    [
      'a forged cursor',
      400,
      'INVALID_REQUEST',
      () => api.get('/views/products?cursor=%25'),
      { field: 'cursor' },
    ],
    [
      'an empty index value',
      400,
      'INVALID_ID',
      () => api.get('/views/orders-with-invoices?customerId='),
      { field: 'customerId' },
    ],
    [
      'an account id with a NUL (victim\\u00001, whose lines would be listed as victim’s)',
      400,
      'INVALID_ID',
      () => api.command('OpenAccount', { ...account, accountId: 'victim\u00001' }),
      { field: 'accountId' },
    ],
    [
      'an account id of 201 bytes (100 é and one x)',
      400,
      'INVALID_ID',
      () => api.command('OpenAccount', { ...account, accountId: `${'é'.repeat(100)}x` }),
      { field: 'accountId', message: 'accountId: an aggregate id must be 1–200 bytes of UTF-8, not 201' },
    ],
    [
      'an account id of 60 KB',
      400,
      'INVALID_ID',
      () => api.command('OpenAccount', { ...account, accountId: 'v'.repeat(60_000) }),
      { field: 'accountId' },
    ],
    [
      'a transfer to an account id with a NUL',
      400,
      'INVALID_ID',
      () =>
        api.command('RequestTransfer', {
          transferId: 'bad-transfer',
          fromAccountId: 'victim',
          toAccountId: 'victim\u0000',
          amount: 1,
        }),
      { field: 'toAccountId' },
    ],
    [
      'an aggregate id with a NUL in a path',
      400,
      'INVALID_ID',
      () => api.get('/aggregates/accounts/victim%001/events'),
      { field: 'id' },
    ],
    [
      'an aggregate id with a control character in a path',
      400,
      'INVALID_ID',
      () => api.get('/aggregates/accounts/victim%07'),
      { field: 'id' },
    ],
    [
      'an index value with a NUL',
      400,
      'INVALID_ID',
      () => api.get('/views/account-statements?accountId=victim%001'),
      { field: 'accountId' },
    ],
    [
      'a bad at',
      400,
      'INVALID_REQUEST',
      () => api.get('/aggregates/stock/bad-apple?at=never'),
      { field: 'at' },
    ],
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
    const { status, body } = await api.command('AddProduct', {
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
    expect(await api.command('IncreaseStock', increase, { 'if-match': '"7"' })).toMatchObject({
      status: 409,
      body: { code: 'VERSION_CONFLICT', aggregateId: 'kettle', version: 1 },
    });
    expect(await api.command('IncreaseStock', increase, { 'if-match': 'W/"1"' })).toMatchObject({
      status: 200,
      body: { version: 2 },
    });
  });

  it('answers 422 COMMAND_REJECTED naming the rule, and appends nothing', async () => {
    expect(
      await api.command('AddProduct', { productId: 'kettle', name: 'Again', initialStock: 1 }),
    ).toMatchObject({
      status: 422,
      body: { code: 'COMMAND_REJECTED', rejection: { code: 'PRODUCT_ALREADY_EXISTS' }, version: 2 },
    });
    expect(await api.command('DecreaseStock', { productId: 'kettle', quantity: 99 })).toMatchObject({
      status: 422,
      body: { code: 'COMMAND_REJECTED', rejection: { code: 'INSUFFICIENT_STOCK' }, version: 2 },
    });
    expect(await api.command('IncreaseStock', { productId: 'kettle', quantity: 1 })).toMatchObject({
      status: 200,
      body: { version: 3 },
    });
  });

  it('answers the same Idempotency-Key sent twice with the first result, appending once', async () => {
    const headers = { 'idempotency-key': 'kettle-restock-1' };
    const first = await api.command('IncreaseStock', { productId: 'kettle', quantity: 4 }, headers);
    const second = await api.command('IncreaseStock', { productId: 'kettle', quantity: 4 }, headers);
    expect(first).toMatchObject({ status: 200, body: { commandId: 'kettle-restock-1', version: 4 } });
    expect(second).toEqual(first);
    const appended = (await readTopic(api.app.kafka, 'stock.events')).filter(
      (r) => r.message.headers?.[CloudEventHeaders.causationId]?.toString() === 'kettle-restock-1',
    );
    expect(appended).toHaveLength(1);
  });

  it('answers an Idempotency-Key sent again after 30 other commands to the aggregate with its first result', async () => {
    await api.addProduct('urn');
    const headers = { 'idempotency-key': 'urn-restock-0' };
    const first = await api.command('IncreaseStock', { productId: 'urn', quantity: 1 }, headers);
    expect(first).toMatchObject({ status: 200, body: { version: 2 } });
    for (let i = 0; i < 30; i++) await api.accepted('IncreaseStock', { productId: 'urn', quantity: 1 });
    const again = await api.command('IncreaseStock', { productId: 'urn', quantity: 1 }, headers);
    expect(again).toEqual(first);
    const appended = (await readTopic(api.app.kafka, 'stock.events')).filter(
      (r) => r.message.headers?.[CloudEventHeaders.causationId]?.toString() === 'urn-restock-0',
    );
    expect(appended).toHaveLength(1);
    expect((await api.command('IncreaseStock', { productId: 'urn', quantity: 1 })).body).toMatchObject({
      version: 33,
    });
  });

  it('keeps an Idempotency-Key apart per aggregate: the same key to another product is another command', async () => {
    const headers = { 'idempotency-key': 'shared-key-1' };
    const first = await api.command(
      'AddProduct',
      { productId: 'vase', name: 'Vase', initialStock: 1 },
      headers,
    );
    const other = await api.command(
      'AddProduct',
      { productId: 'bowl', name: 'Bowl', initialStock: 2 },
      headers,
    );
    expect(first).toMatchObject({ status: 200, body: { aggregateId: 'vase', version: 1 } });
    expect(other).toMatchObject({ status: 200, body: { aggregateId: 'bowl', version: 1 } });
  });

  it('refuses an aggregate id starting with NUL (the store keeps its own keys there)', async () => {
    const reply = await api.command('AddProduct', { productId: '\u0000cmd', name: 'Nul', initialStock: 1 });
    expect(reply).toMatchObject({ status: 400, body: { code: 'INVALID_ID', field: 'productId' } });
  });

  it('accepts an aggregate id of 200 bytes, multi-byte characters counted as bytes, and reads it back', async () => {
    const accountId = `${'€'.repeat(50)}${'é'.repeat(20)}${'😀'.repeat(2)}${'a'.repeat(2)}`;
    expect([accountId.length, Buffer.byteLength(accountId)]).toEqual([76, 200]);
    const opened = await api.accepted('OpenAccount', {
      accountId,
      ownerId: 'ada',
      initialDeposit: 500,
      overdraftLimit: 0,
    });
    expect(opened).toMatchObject({ aggregateId: accountId, version: 1 });
    const id = encodeURIComponent(accountId);
    const after = encodeURIComponent(opened.position);
    expect(await api.get(`/views/account-statements?accountId=${id}&after=${after}`)).toMatchObject({
      status: 200,
      body: { items: [{ accountId, sequence: 1, balance: 500 }], next: null },
    });
    expect(await api.get(`/aggregates/accounts/${id}/events?after=${after}`)).toMatchObject({
      status: 200,
      body: { aggregateId: accountId, version: 1 },
    });
  });

  it('answers 202 PENDING when the result does not come within the wait, then the result on a resend', async () => {
    // An instance running no processors, waiting 1 ms: the command is handled by `app`, which
    // takes a transaction and a fetch at least, so the wait always ends first.
    const impatient = await api.startInstance('api-test-impatient', {
      processors: [],
      http: { port: 0, limits: { commandTimeoutMs: 1 } },
    });
    const data = { productId: 'teapot', name: 'Teapot', initialStock: 3 };
    const headers = { 'idempotency-key': 'teapot-add' };
    expect(await api.command('AddProduct', data, headers, impatient)).toMatchObject({
      status: 202,
      body: { commandId: 'teapot-add', aggregateId: 'teapot', status: 'PENDING' },
    });
    expect(await api.command('AddProduct', data, headers)).toMatchObject({
      status: 200,
      body: { commandId: 'teapot-add', version: 1 },
    });
  });
});

describe('operations', () => {
  it('is live and ready', async () => {
    expect(await api.get('/health/live')).toEqual({ status: 200, body: { status: 'UP' } });
    const ready = await api.get('/health/ready');
    expect(ready).toMatchObject({ status: 200, body: { status: 'READY' } });
    expect(ready.body.processors['products-view']).toMatchObject({
      ready: true,
      partitions: [0, 1, 2, 3, 4, 5],
    });
  });

  it('serves Prometheus metrics', async () => {
    const { status, body } = await api.get('/metrics');
    expect(status).toBe(200);
    expect(body).toMatch(/^kes_records_processed_total\{processor="stock-commands"\} \d+$/m);
    expect(body).toMatch(/^kes_chunks_written_total\{processor="stock-commands"\} [1-9]\d*$/m);
    expect(body).toMatch(/^kes_consumer_lag\{processor="[^"]+",topic="[^"]+",partition="\d"\} \d+$/m);
    expect(body).toMatch(/^kes_command_duration_seconds_count\{type="AddProduct",status="ACCEPTED"\} \d+$/m);
    expect(body).toMatch(/^kes_command_duration_seconds_count\{type="AddProduct",status="REJECTED"\} \d+$/m);
    expect(body).toContain('# TYPE kes_restore_records_total counter');
  });

  it('describes itself in OpenAPI at /docs/json, public commands only', async () => {
    const { status, body } = await api.get('/docs/json');
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
