import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, ApiTestApp, QUERY_WAIT_MS } from '../../test/support/apiTestApp.js';

/**
 * The read side of the HTTP API of one kes instance on the embedded stack, over real HTTP: views
 * page by page and after a write, a customer's orders through the index, the orders joined with
 * their invoices, and event history and temporal queries.
 */
const api = new ApiTestApp('api-test');
beforeAll(() => api.start(), 120_000);
afterAll(() => api.stop());

/** Every page of a listing, following `next`, as [page sizes, items]. */
async function allPages(path: string, limit: number) {
  const separator = path.includes('?') ? '&' : '?';
  const pages = await api.client.pages<{ [k: string]: unknown }>(`${path}${separator}limit=${limit}`);
  return { sizes: pages.map((page) => page.length), items: pages.flat() };
}

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
      const { position } = await api.addProduct(id);
      expect((await api.get(`/views/products/${id}?after=${position}`)).status).toBe(200);
    }
    const everything = await api.get('/views/products?limit=500');
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
    const { position, version } = await api.accepted('IncreaseStock', { productId: 'pg-01', quantity: 7 });
    expect(await api.get(`/views/products/pg-01?after=${position}`)).toMatchObject({
      status: 200,
      body: { productId: 'pg-01', available: 17, reserved: 0, version },
    });
    const listed = await api.get(`/views/products?after=${position}&limit=500`);
    expect(listed.body.items).toContainEqual(expect.objectContaining({ productId: 'pg-01', available: 17 }));
    const [topic, partition, offset] = position.split(':');
    const future = `${topic}:${partition}:${Number(offset) + 1_000_000}`;
    const started = Date.now();
    expect(await api.get(`/views/products/pg-01?after=${future}`)).toMatchObject({
      status: 504,
      body: { code: 'POSITION_TIMEOUT' },
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(QUERY_WAIT_MS - 100);
  });

  it('pages through a customer’s orders (the index), and only theirs', async () => {
    await api.addProduct('widget', 1000);
    const item = { productId: 'widget', quantity: 1, unitPrice: 250 };
    const orders = ['ord-4', 'ord-2', 'ord-5', 'ord-1', 'ord-3'];
    const place = (orderId: string, customerId: string) =>
      api.accepted('PlaceOrder', { orderId, customerId, customerName: 'Ada', items: [item] });
    const other = await place('ord-6', 'cust-pg2'); // a customer id the first one is a prefix of
    for (const orderId of orders) {
      const { position } = await place(orderId, 'cust-pg');
      const { body } = await api.get(`/views/orders-with-invoices?customerId=cust-pg&after=${position}`);
      expect(body.items.map((r: { orderId: string }) => r.orderId)).toContain(orderId);
    }
    for (const limit of [1, 2, 5, 10]) {
      const { items } = await allPages('/views/orders-with-invoices?customerId=cust-pg', limit);
      expect(items.map((r) => r.orderId)).toEqual([...orders].sort());
      expect(items.every((r) => r.customerId === 'cust-pg' && r.customerName === 'Ada')).toBe(true);
    }
    const theOther = await api.get(`/views/orders-with-invoices?customerId=cust-pg2&after=${other.position}`);
    expect(theOther.body).toMatchObject({
      items: [{ orderId: 'ord-6', customerId: 'cust-pg2' }],
      next: null,
    });
    expect((await api.get('/views/orders-with-invoices?customerId=nobody')).body).toEqual({
      items: [],
      next: null,
    });
  });

  it('joins an order and its invoice in the orders views once the saga has confirmed it', async () => {
    const deadline = Date.now() + 30_000;
    let row: Answer;
    do {
      row = await api.get('/views/orders/ord-1');
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
    // Another processor feeds orders-with-invoices: it may lag orders by a moment.
    await expect
      .poll(async () => (await api.get('/views/orders-with-invoices/ord-1')).body, { timeout: 30_000 })
      .toMatchObject({ status: 'CONFIRMED', invoiceUrl: 'https://invoices.test/INV-ord-1' });
  });

  it('gives an aggregate’s history, and its state at a version or a time', async () => {
    const added = await api.addProduct('clock', 10);
    await sleep(5);
    const increased = await api.accepted('IncreaseStock', { productId: 'clock', quantity: 3 });
    await sleep(5);
    const decreased = await api.accepted('DecreaseStock', { productId: 'clock', quantity: 2 });
    const { status, body } = await api.get(`/aggregates/stock/clock/events?after=${decreased.position}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ domain: 'stock', aggregateId: 'clock', version: 3 });
    expect(body.events).toMatchObject([
      { type: 'ProductAdded', sequence: 1, causationId: added.commandId, position: added.position },
      { type: 'StockIncreased', sequence: 2, causationId: increased.commandId, data: { quantity: 3 } },
      { type: 'StockDecreased', sequence: 3, position: decreased.position, data: { available: 11 } },
    ]);
    const times = (body.events as { time: string }[]).map((e) => e.time);
    const at = async (value: string) =>
      (await api.get(`/aggregates/stock/clock?at=${encodeURIComponent(value)}`)).body;
    expect(await at('2')).toMatchObject({ version: 2, asOf: times[1], state: { available: 13 } });
    expect(await at('1')).toMatchObject({ version: 1, state: { name: 'Product clock', available: 10 } });
    expect(await at(times[1]!)).toMatchObject({ version: 2, state: { available: 13 } });
    expect(await at(new Date(Date.parse(times[2]!) - 1).toISOString())).toMatchObject({ version: 2 });
    expect(await at('2000-01-01T00:00:00Z')).toMatchObject({ version: 0, asOf: null });
    expect((await api.get('/aggregates/stock/clock')).body).toMatchObject({
      version: 3,
      state: { available: 11 },
    });
  });
});
