import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, ApiTestApp } from '../../test/support/apiTestApp.js';
import { application } from '../../topology/application.js';
import { rebuildProgress } from '../views/rebuildProgress.js';

/**
 * The console's read endpoints on the embedded stack, over real HTTP. The instance runs every
 * processor but the event history, so that its lag grows until a second instance, running only
 * the event history, joins and reads it all.
 */
const api = new ApiTestApp('overview-1');
const { topology } = application;
const allButHistory = topology.processors.map((p) => p.name).filter((p) => p !== 'event-history');
let admin: Admin;

beforeAll(async () => {
  await api.start({ processors: allButHistory, views: { retireAfterMs: 500, checkIntervalMs: 1000 } });
  admin = api.broker.kafka('overview-test').admin();
  await admin.connect();
}, 120_000);
afterAll(async () => {
  await admin?.disconnect();
  await api.stop();
}, 60_000);

/** Asks until `done` holds for the answer (or fails with the last one after the timeout). */
async function until(path: string, done: (body: Answer['body']) => boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, body } = await api.get(path);
    if (status === 200 && done(body)) return body;
    if (Date.now() > deadline) throw new Error(`${path}: still ${status} ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The read_committed end of every partition of a topic, summed (asked of KafkaJS directly). */
async function endOf(topic: string): Promise<number> {
  return (await admin.fetchTopicOffsets(topic)).reduce((sum, o) => sum + Number(o.high), 0);
}

interface LagEntry {
  processor: string;
  lag: number;
  partitions: { topic: string; partition: number; committed: number; end: number; lag: number }[];
}
const lagOf = (body: { processors: LagEntry[] }, processor: string) =>
  body.processors.find((p) => p.processor === processor);

describe('the console’s overview endpoints', () => {
  it('answers the topology as it is', async () => {
    const { status, body } = await api.get('/admin/topology');
    expect(status).toBe(200);
    expect(body).toEqual(JSON.parse(JSON.stringify(topology)));
  });

  it('documents every route in the OpenAPI document', async () => {
    const { paths } = (await api.get('/docs/json')).body;
    for (const route of ['topology', 'instances', 'lag', 'stats', 'commands', 'views', 'views/{view}']) {
      expect(paths[`/admin/${route}`]?.get, route).toMatchObject({
        tags: ['admin'],
        summary: expect.any(String),
      });
    }
  });

  it('lists every command with its domain, whether it is public, and its Avro schema', async () => {
    const { body } = await api.get('/admin/commands');
    const all = application.deciders.flatMap((d) => d.commandTypes as string[]);
    expect(body.commands.map((c: { type: string }) => c.type)).toEqual(all);
    expect(body.commands).toContainEqual({
      type: 'AddProduct',
      domain: 'stock',
      public: true,
      schema: expect.objectContaining({
        type: 'record',
        name: 'AddProduct',
        fields: expect.arrayContaining([expect.objectContaining({ name: 'productId' })]),
      }),
    });
    expect(body.commands).toContainEqual(
      expect.objectContaining({ type: 'ReserveStock', domain: 'stock', public: false }),
    );
  });

  it('shows the lag of a processor nobody runs growing, and reaching 0 once an instance runs it', async () => {
    for (let i = 0; i < 12; i++) await api.addProduct(`lag-${i}`);
    const behind = await until('/admin/lag', (b) => (lagOf(b, 'event-history')?.lag ?? 0) >= 12);
    const history = lagOf(behind, 'event-history')!;
    expect(history.partitions).toHaveLength(5 * 6); // five events topics of six partitions
    for (const p of history.partitions) expect(p.lag).toBe(p.end - p.committed);
    expect(history.lag).toBe(history.partitions.reduce((sum, p) => sum + p.lag, 0));
    const stock = history.partitions.filter((p) => p.topic === 'stock.events');
    expect(stock.reduce((sum, p) => sum + p.end, 0)).toBe(await endOf('stock.events'));
    // Every processor of the topology is listed, the running ones caught up.
    expect(behind.processors.map((p: LagEntry) => p.processor)).toEqual(
      topology.processors.map((p) => p.name),
    );

    await api.startInstance('overview-2', { processors: ['event-history'] });
    await until(
      '/admin/lag',
      (b) => lagOf(b, 'event-history')?.lag === 0 && lagOf(b, 'stock-commands')?.lag === 0,
    );

    // Both instances are listed with the tasks each owns.
    const all = [0, 1, 2, 3, 4, 5];
    const body = await until('/admin/instances', (b) => b.instances.length === 2);
    expect(body.self).toBe(api.app.url);
    const byEndpoint = new Map(
      (body.instances as { endpoint: string; processors: Record<string, number[]> }[]).map((i) => [
        i.endpoint,
        i.processors,
      ]),
    );
    const mine = byEndpoint.get(api.app.url!)!;
    expect(mine['stock-commands']).toEqual(all);
    expect(mine['products-view']).toEqual(all);
    expect(mine['event-history']).toBeUndefined();
    const other = [...byEndpoint.entries()].find(([url]) => url !== api.app.url)!;
    expect(other[1]).toEqual({ 'event-history': all });
    // The second instance answers the same, with itself as self.
    const there = await api.client.call<{ self: string }>('/admin/instances', { at: 1 });
    expect(there.body.self).toBe(other[0]);
  });

  it('counts what this instance processed and the commands it answered', async () => {
    const before = (await api.get('/admin/stats')).body;
    expect(before).toMatchObject({ at: expect.any(Number), processed: expect.any(Object) });
    await api.addProduct('stats-1');
    expect(
      (await api.command('AddProduct', { productId: 'stats-1', name: 'again', initialStock: 1 })).status,
    ).toBe(422);
    const after = await until(
      '/admin/stats',
      (b) => (b.processed['stock-commands'] ?? 0) >= (before.processed['stock-commands'] ?? 0) + 2,
    );
    expect(after.at).toBeGreaterThanOrEqual(before.at);
    expect(after.commands.ACCEPTED).toBe((before.commands.ACCEPTED ?? 0) + 1);
    expect(after.commands.REJECTED).toBe((before.commands.REJECTED ?? 0) + 1);
    // The event history runs elsewhere.
    expect(after.processed['event-history']).toBeUndefined();
  });

  it('lists the views, and follows a rebuild’s progress up to the switch', async () => {
    const { body } = await api.get('/admin/views');
    expect(body.views.map((v: { name: string }) => v.name)).toEqual([...application.views.keys()]);
    expect(body.views[0]).toEqual({
      name: 'products',
      description: expect.any(String),
      index: null,
      state: { view: 'products', active: 1, building: null, updatedAt: expect.any(String) },
      progress: null,
    });
    expect(body.views[0].description).not.toMatch(/^view products/);
    expect(body.views.find((v: { name: string }) => v.name === 'orders-with-invoices').index).toBe(
      'customerId',
    );

    for (let i = 0; i < 12; i++) await api.addProduct(`rebuilt-${i}`);
    const total = await endOf('stock.events');
    expect((await api.client.call('/admin/views/products/rebuild', { method: 'POST' })).status).toBe(202);
    // Requested: generation 2 is being built, from nothing read.
    const seen: { consumed: number; total: number; fraction: number; generation: number }[] = [];
    const first = (await api.get('/admin/views/products')).body;
    expect(first).toMatchObject({ active: 1, building: 2, progress: { generation: 2, total } });
    const listed = (await api.get('/admin/views')).body.views[0];
    expect(listed).toMatchObject({ state: { building: 2 }, progress: { generation: 2, total } });
    const switched = await until('/admin/views/products', (b) => {
      if (b.progress) seen.push(b.progress);
      return b.active === 2;
    });
    expect(switched).toMatchObject({ view: 'products', active: 2, building: null, progress: null });
    for (const [i, p] of seen.entries()) {
      expect(p.fraction).toBeGreaterThanOrEqual(0);
      expect(p.fraction).toBeLessThanOrEqual(1);
      expect(p.fraction).toBeCloseTo(p.consumed / p.total, 10);
      if (i > 0) expect(p.consumed).toBeGreaterThanOrEqual(seen[i - 1]!.consumed);
    }
    // Generation 2 has read every source record: its progress, asked directly, reaches 1.
    const view = application.views.get('products')!;
    let progress = await rebuildProgress(admin, topology, view.processors, 2);
    for (const deadline = Date.now() + 30_000; progress.fraction < 1 && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 50));
      progress = await rebuildProgress(admin, topology, view.processors, 2);
    }
    expect(progress).toEqual({ generation: 2, consumed: total, total, fraction: 1 });
    // A view with an index: right after the request, its new index topic may not exist yet.
    expect(
      (await api.client.call('/admin/views/orders-with-invoices/rebuild', { method: 'POST' })).status,
    ).toBe(202);
    expect((await api.get('/admin/views/orders-with-invoices')).body).toMatchObject({
      building: 2,
      progress: { generation: 2, consumed: expect.any(Number), total: expect.any(Number) },
    });
    await until('/admin/views/orders-with-invoices', (b) => b.active === 2);
    // The serving generation's group is the one measured now, and its tasks are listed.
    const lag = await until('/admin/lag', (b) => lagOf(b, 'products-view.g2') !== undefined);
    expect(lagOf(lag, 'products-view')).toBeUndefined();
    await until('/admin/instances', (b) =>
      b.instances.some(
        (i: { processors: Record<string, number[]> }) =>
          i.processors['products-view.g2']?.length === 6 && !i.processors['products-view'],
      ),
    );
  });
});
