import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, ApiTestApp } from '../../test/support/apiTestApp.js';

/**
 * The console's operations on one kes instance running the example application on the embedded
 * stack, over real HTTP: the trace of a placed order across its domains, the saga's state, a
 * poison record dead-lettered, listed and replayed, and the registry's schemas.
 */
const api = new ApiTestApp('operations-test');
beforeAll(() => api.start(), 120_000);
afterAll(() => api.stop());

interface TraceEvent {
  id: string;
  type: string;
  domain: string;
  aggregateId: string;
  time: string;
  position: string;
  correlationId: string | null;
  causationId: string | null;
  match: 'correlation' | 'causation';
}

const trace = async (id: string) => (await api.get(`/admin/trace/${encodeURIComponent(id)}`)) as Answer;

describe('trace and sagas', () => {
  let placed: { commandId: string };
  const orderId = 'trace-order-1';

  beforeAll(async () => {
    await api.addProduct('trace-apple', 10);
    placed = await api.accepted('PlaceOrder', {
      orderId,
      customerId: 'trace-customer',
      customerName: 'Ada',
      items: [{ productId: 'trace-apple', quantity: 2, unitPrice: 100 }],
    });
  });

  it("lists the order's, the stock's and the invoice's events under the command's id, by time", async () => {
    // The saga and the invoicing policy follow the order: wait until the invoice is there.
    await expect
      .poll(async () => ((await trace(placed.commandId)).body.events as TraceEvent[]).map((e) => e.type), {
        timeout: 30_000,
      })
      .toContain('InvoiceIssued');
    const { status, body } = await trace(placed.commandId);
    expect(status).toBe(200);
    expect(body.id).toBe(placed.commandId);
    const events = body.events as TraceEvent[];
    expect(new Set(events.map((e) => e.domain))).toEqual(new Set(['orders', 'stock', 'invoices']));
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['OrderPlaced', 'StockReserved', 'OrderConfirmed', 'InvoiceIssued']),
    );
    for (const e of events) expect(e.correlationId).toBe(placed.commandId);
    const times = events.map((e) => Date.parse(e.time));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // The order's first event was caused by the command itself; the others by the saga's and the
    // policy's commands, each found by its causation in turn.
    const orderPlaced = events.find((e) => e.type === 'OrderPlaced')!;
    expect(orderPlaced).toMatchObject({ domain: 'orders', aggregateId: orderId, match: 'causation' });
    const reserved = events.find((e) => e.type === 'StockReserved')!;
    expect(reserved).toMatchObject({ domain: 'stock', aggregateId: 'trace-apple', match: 'correlation' });
    expect(reserved.causationId).not.toBe(placed.commandId);
    const bySagaCommand = (await trace(reserved.causationId!)).body.events as TraceEvent[];
    expect(bySagaCommand).toEqual([{ ...reserved, match: 'causation' }]);
    // An event's own id names no event (it is the causation of the commands it led to).
    expect((await trace(reserved.id)).body.events).toEqual([]);
  });

  it('answers an id nothing names with no events', async () => {
    expect(await trace('nothing-names-this')).toEqual({
      status: 200,
      body: { id: 'nothing-names-this', events: [] },
    });
  });

  it("lists the sagas, and gives the fulfilment saga's state of the order", async () => {
    const { body } = await api.get('/admin/sagas');
    expect(body.sagas).toContainEqual({
      name: 'order-fulfilment',
      key: 'order id',
      description: expect.any(String),
    });
    expect((body.sagas as { name: string }[]).map((s) => s.name)).not.toContain('invoicing');
    const state = await api.get(`/admin/sagas/order-fulfilment/${orderId}`);
    expect(state).toMatchObject({
      status: 200,
      body: { saga: 'order-fulfilment', key: orderId, state: expect.any(Object) },
    });
    expect(JSON.stringify(state.body.state)).toContain('trace-apple');
    expect(await api.get('/admin/sagas/order-fulfilment/no-such-order')).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND' },
    });
    expect(await api.get(`/admin/sagas/no-such-saga/${orderId}`)).toMatchObject({
      status: 404,
      body: { code: 'UNKNOWN_SAGA' },
    });
  });
});

interface Letter {
  partition: number;
  offset: string;
  key: string | null;
  source: { topic: string; partition: number; offset: string };
  valueBytes: number | null;
  replayed: boolean;
  error: string;
  headers: Record<string, string>;
}

describe('dead letters', () => {
  const letters = async () => (await api.get('/admin/dead-letters/stock-commands')).body.letters as Letter[];

  it('lists a poison record, replays it, and marks it replayed', async () => {
    const producer = api.app.kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'stock.commands',
      messages: [{ key: 'poison', value: Buffer.from('not avro'), headers: { ce_id: 'poison-1' } }],
    });
    await producer.disconnect();
    await expect.poll(async () => (await letters()).length, { timeout: 30_000 }).toBe(1);
    const [letter] = await letters();
    expect(letter).toMatchObject({
      key: 'poison',
      source: { topic: 'stock.commands' },
      valueBytes: 8,
      replayed: false,
      headers: expect.objectContaining({ ce_id: 'poison-1' }),
    });
    expect(letter!.error).not.toBe('');

    const summary = (await api.get('/admin/dead-letters')).body.processors as Record<string, unknown>[];
    expect(summary).toContainEqual({
      processor: 'stock-commands',
      count: 1,
      replayable: true,
      refusal: null,
    });
    expect(summary).toContainEqual({
      processor: 'products-view',
      count: 0,
      replayable: false,
      refusal: expect.stringMatching(/stock\.events/),
    });

    const replay = await api.client.call('/admin/dead-letters/stock-commands/replay', { method: 'POST' });
    expect(replay).toEqual({ status: 200, body: { processor: 'stock-commands', replayed: 1, skipped: 0 } });
    // Still not Avro: it fails again and comes back, as a letter not replayed yet.
    await expect.poll(async () => (await letters()).length, { timeout: 30_000 }).toBe(2);
    const [first, again] = await letters();
    expect(first).toMatchObject({ offset: letter!.offset, partition: letter!.partition, replayed: true });
    expect(again).toMatchObject({ key: 'poison', replayed: false });
  });

  it('refuses to replay where another processor reads, and knows only the topology’s processors', async () => {
    expect(
      await api.client.call('/admin/dead-letters/products-view/replay', { method: 'POST' }),
    ).toMatchObject({
      status: 409,
      body: { code: 'REPLAY_REFUSED', reason: expect.stringMatching(/stock\.events/) },
    });
    expect(await api.get('/admin/dead-letters/no-such-processor')).toMatchObject({
      status: 404,
      body: { code: 'UNKNOWN_PROCESSOR' },
    });
  });
});

describe('schemas', () => {
  it('lists the subjects with their versions and level, gives a version, and checks one against another', async () => {
    const { status, body } = await api.get('/admin/schemas');
    expect(status).toBe(200);
    const subjects = body.subjects as { subject: string; versions: number[]; compatibility: string }[];
    expect(subjects.length).toBeGreaterThan(10);
    for (const s of subjects) {
      expect(s.versions.length).toBeGreaterThan(0);
      expect(s.compatibility).toMatch(/^(BACKWARD|FORWARD|FULL|NONE)/);
    }
    // OrderPlaced has an older version (schemas/orders/history): two versions of one subject.
    const upcast = subjects.find((s) => s.subject.includes('OrderPlaced'))!;
    expect(upcast.versions).toEqual([1, 2]);

    const path = `/admin/schemas/${encodeURIComponent(upcast.subject)}`;
    const version = await api.get(`${path}/versions/2`);
    expect(version).toMatchObject({
      status: 200,
      body: { subject: upcast.subject, version: 2, id: expect.any(Number) },
    });
    expect(JSON.parse(version.body.schema as string)).toMatchObject({ type: 'record', name: 'OrderPlaced' });

    expect(await api.get(`${path}/compatibility?version=2&against=1`)).toEqual({
      status: 200,
      body: {
        subject: upcast.subject,
        version: 2,
        against: 1,
        compatible: true,
        level: upcast.compatibility,
        messages: [],
      },
    });
  });

  it('answers what the registry does not have with NOT_FOUND, and a bad version with INVALID_REQUEST', async () => {
    expect(await api.get('/admin/schemas/no-such-subject/versions/1')).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND' },
    });
    expect(await api.get('/admin/schemas/no-such-subject/versions/latest')).toMatchObject({
      status: 400,
      body: { code: 'INVALID_REQUEST', field: 'version' },
    });
    expect(await api.get('/admin/schemas/no-such-subject/compatibility?version=1')).toMatchObject({
      status: 400,
      body: { code: 'INVALID_REQUEST', field: 'against' },
    });
  });
});

describe('aggregate search', () => {
  const run = `search-${Date.now().toString(36)}`;
  const ids = [`${run}-a`, `${run}-a-1`, `${run}-a-2`, `${run}-b`];

  beforeAll(async () => {
    for (const id of ids) await api.addProduct(id, 1);
    // A longer history: the search skips past it to the next id.
    for (let i = 0; i < 5; i++) await api.accepted('IncreaseStock', { productId: ids[0], quantity: 1 });
  });

  it('lists the ids of a domain starting with a prefix, in key order, across partitions', async () => {
    const search = async (query: string) => (await api.get(`/admin/aggregates/stock?${query}`)) as Answer;
    await expect.poll(async () => (await search(`prefix=${run}`)).body.ids, { timeout: 30_000 }).toEqual(ids);
    expect((await search(`prefix=${run}-a`)).body).toEqual({
      domain: 'stock',
      prefix: `${run}-a`,
      ids: ids.slice(0, 3),
    });
    expect((await search(`prefix=${run}-a&limit=2`)).body.ids).toEqual(ids.slice(0, 2));
    expect((await search(`prefix=${run}-c`)).body.ids).toEqual([]);
    // Other domains' aggregates are not listed.
    expect((await api.get(`/admin/aggregates/orders?prefix=${run}`)).body.ids).toEqual([]);
  });

  it('refuses an unknown domain and a bad limit', async () => {
    expect(await api.get('/admin/aggregates/nowhere')).toMatchObject({
      status: 404,
      body: { code: 'UNKNOWN_DOMAIN' },
    });
    expect(await api.get('/admin/aggregates/stock?limit=0')).toMatchObject({
      status: 400,
      body: { code: 'INVALID_REQUEST' },
    });
  });
});
