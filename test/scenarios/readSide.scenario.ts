import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deciders } from '../../examples/domainCatalog.js';
import { SeededRandom } from '../../src/testing/seededRandom.js';
import type { OrderRow } from '../../examples/shop/views/ordersView.js';
import type { OrderWithInvoiceRow } from '../../examples/shop/views/ordersWithInvoicesView.js';
import type { ProductRow } from '../../examples/shop/views/productsView.js';
import { Serde } from '../../src/serde/serde.js';
import { type AppProcess, spawnApp } from '../support/appProcess.js';
import type { TestCluster } from '../support/testCluster.js';
import { type Accepted, type Command, KesClient, type Reply } from '../support/kesClient.js';
import { pool } from '../support/pool.js';
import { tempDir } from '../support/tempDir.js';
import { type TopicEvent, topicEvents } from '../support/topicEvents.js';
import { brokerOutage } from './brokerOutage.js';
import { expectedViewContents, servedViewContents, type ViewContents } from '../support/viewContents.js';
import { application } from '../../topology/application.js';

/**
 * The read side end to end: three `kes app` processes on one embedded broker serve the HTTP API.
 * Every write is read back with `?after=` from the other instances (read-your-writes): strictly
 * (every read answers 200 and reflects it) before and after a crash, and past 503s while a seeded
 * load of orders over scarce stock, stock changes, cancellations and shipments goes to random
 * instances and one of them is killed with SIGKILL (and, where the cluster's brokers can be killed,
 * a Kafka broker from 20 % to 70 % of that load). Afterwards every view, read from each
 * survivor page by page and key by key, equals a replay of the events topics through the views'
 * own `evolve`, and sampled aggregates' histories and states equal their events in the topics.
 */
export function readSideScenario(startCluster: () => Promise<TestCluster>): void {
  const SEED = 7321;
  const PRODUCTS = 40;
  const CUSTOMERS = 20;
  const LOAD = 360;
  const STRICT_BEFORE = 90;
  const STRICT_AFTER = 60;

  /** What a write changed, to read back: a product, or an order (in its final status after a cancel or ship). */
  type Write =
    | { kind: 'product'; id: string; version: number; position: string }
    | { kind: 'order'; id: string; version: number; position: string; customerId: string; status?: string };

  let cluster: TestCluster;
  let serde: Serde;
  const apps: AppProcess[] = [];
  let client: KesClient;
  const dirs = Array.from({ length: 3 }, () => tempDir('kes-read-e2e-'));
  const rng = new SeededRandom(SEED);
  const routing = new SeededRandom(SEED + 1);
  const customerOf = new Map<string, string>();
  const ids = (prefix: string, n: number) =>
    Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(2, '0')}`);
  const customers = ids('c', CUSTOMERS);
  const productIds = ids('p', PRODUCTS);

  beforeAll(async () => {
    cluster = await startCluster();
    serde = Serde.forApplication(application, new SchemaRegistry({ host: cluster.registryUrl }));
    await serde.registerAll();
    const start = (i: number) =>
      spawnApp({
        brokers: cluster.bootstrap,
        registry: cluster.registryUrl,
        dataDir: dirs[i]!.path,
        instanceId: `app-${i}`,
      });
    apps.push(...(await Promise.all([0, 1, 2].map(start))));
    client = new KesClient(
      apps.map((app) => app.url),
      routing,
    );
  });

  afterAll(async () => {
    for (const app of apps) await app.kill();
    await cluster?.stop();
    for (const d of dirs) d.remove();
  });

  const json = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

  function writeOf(command: Command, { version, position }: Accepted): Write | undefined {
    if (position === null) return undefined; // accepted without events: nothing to read back
    if (typeof command.data.productId === 'string')
      return { kind: 'product', id: command.data.productId, version, position };
    const id = command.data.orderId as string;
    const status = ({ CancelOrder: 'CANCELLED', ShipOrder: 'SHIPPED' } as Record<string, string>)[
      command.type
    ];
    return {
      kind: 'order',
      id,
      version,
      position,
      customerId: customerOf.get(id)!,
      ...(status ? { status } : {}),
    };
  }

  /**
   * Reads a write back from instance `at` with `?after=` its position — a product from products; an
   * order from orders, orders-with-invoices and its customer's list (through the repartition topic).
   * Returns the problems: none when every read reflects the write.
   */
  async function readBack(write: Write, at: number, patient: boolean): Promise<string[]> {
    const after = `after=${encodeURIComponent(write.position)}`;
    const problems: string[] = [];
    const check = <T>(path: string, reply: Reply<T>, ok: (row: T) => boolean) => {
      if (reply.status === 200 && ok(reply.body)) return;
      problems.push(`${path} from ${at} (v${write.version}): ${reply.status} ${JSON.stringify(reply.body)}`);
    };
    try {
      if (write.kind === 'product') {
        const path = `/views/products/${write.id}?${after}`;
        check(
          path,
          await client.get<ProductRow>(path, { at, patient }),
          (row) => row.version >= write.version,
        );
        return problems;
      }
      const fits = (row: { status: string | null }) =>
        row.status !== null && (write.status ?? row.status) === row.status;
      const order = `/views/orders/${write.id}?${after}`;
      check(
        order,
        await client.get<OrderRow>(order, { at, patient }),
        (row) => row.version >= write.version && fits(row),
      );
      const joined = `/views/orders-with-invoices/${write.id}?${after}`;
      check(joined, await client.get<OrderWithInvoiceRow>(joined, { at, patient }), fits);
      const list = `/views/orders-with-invoices?customerId=${write.customerId}&limit=500&${after}`;
      const rows = await client.all<OrderWithInvoiceRow>(list, { at, patient });
      const row = rows.find((r) => r.orderId === write.id);
      check(
        list,
        { status: 200, body: row ?? rows.map((r) => r.orderId) },
        () => row !== undefined && fits(row),
      );
    } catch (err) {
      problems.push((err as Error).message);
    }
    return problems;
  }

  function placeOrder(orderId: string): Command {
    const customerId = rng.pick(customers);
    customerOf.set(orderId, customerId);
    const products = new Set(Array.from({ length: rng.int(1, 3) }, () => rng.pick(productIds)));
    const items = [...products].map((productId) => ({
      productId,
      quantity: rng.int(1, 3),
      unitPrice: rng.int(100, 5000),
    }));
    return {
      type: 'PlaceOrder',
      data: { orderId, customerId, customerName: `Customer ${customerId}`, items },
      key: orderId,
    };
  }

  /** The load: mostly orders over scarce stock, some stock changes, cancellations and shipments. */
  function loadCommands(): Command[] {
    const out: Command[] = [];
    const orders: string[] = [];
    for (let i = 0; i < LOAD; i++) {
      const roll = rng.next();
      if (roll < 0.62 || orders.length === 0) {
        orders.push(`o-${String(i).padStart(3, '0')}`);
        out.push(placeOrder(orders.at(-1)!));
      } else if (roll < 0.77) {
        const type = roll < 0.72 ? 'IncreaseStock' : 'DecreaseStock';
        out.push({
          type,
          data: { productId: rng.pick(productIds), quantity: rng.int(1, 4) },
          key: `stock-${i}`,
        });
      } else if (roll < 0.88) {
        const data = { orderId: rng.pick(orders.slice(-40)), reason: 'changed my mind' };
        out.push({ type: 'CancelOrder', data, key: `cancel-${i}` });
      } else {
        // An older order, more likely confirmed by now.
        const data = {
          orderId: rng.pick(orders.slice(0, -20).concat(orders[0]!)),
          carrier: 'DHL',
          trackingCode: `T-${i}`,
        };
        out.push({ type: 'ShipOrder', data, key: `ship-${i}` });
      }
    }
    return out;
  }

  /**
   * Writes (an order, or a stock increase), each sent to a random instance and read back with
   * `?after=` from every other live one at once: every read answers 200 and reflects the write.
   */
  async function strictReadYourWrites(iterations: number, label: string): Promise<number> {
    const commands = Array.from({ length: iterations }, (_, i) =>
      rng.next() < 0.65
        ? placeOrder(`${label}-${i}`)
        : {
            type: 'IncreaseStock',
            data: { productId: rng.pick(productIds), quantity: 1 },
            key: `${label}-${i}`,
          },
    );
    const problems: string[] = [];
    let reads = 0;
    await pool(commands, 4, async (command) => {
      const { at, reply } = await client.send(command);
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      for (const reader of client.live(at)) {
        problems.push(...(await readBack(writeOf(command, reply.body)!, reader, false)));
        reads++;
      }
    });
    expect(problems).toEqual([]);
    return reads;
  }

  describe('the read side: three instances, one killed with SIGKILL under load', () => {
    let survivors: number[] = [];
    let events: TopicEvent[] = [];
    let expected: ViewContents;

    it('serves every key from every instance', async () => {
      const stock = productIds.map((id) => ({ id, initial: rng.int(2, 8) }));
      await pool(stock, 8, async ({ id, initial }) => {
        const data = { productId: id, name: `Product ${id}`, initialStock: initial };
        const { reply } = await client.send({ type: 'AddProduct', data, key: `add-${id}` });
        expect(reply.status).toBe(200);
        for (const at of [0, 1, 2]) {
          const row = await client.get<ProductRow>(`/views/products/${id}?after=${reply.body.position}`, {
            at,
          });
          expect(row).toMatchObject({
            status: 200,
            body: { productId: id, name: data.name, available: initial, reserved: 0, version: 1 },
          });
        }
      });
    });

    it('reads its writes from the other instances, every time', async () => {
      expect(await strictReadYourWrites(STRICT_BEFORE, 'ryw1')).toBe(2 * STRICT_BEFORE);
    });

    it('reads its writes under load while an instance is killed, and every time after', async () => {
      const victim = rng.int(0, 2);
      const outage = brokerOutage(
        () => cluster,
        (count) => rng.int(0, count - 1),
      );
      const statuses: Record<string, number> = {};
      const problems: string[] = [];
      await pool(loadCommands(), 12, async (command, i) => {
        if (i === Math.floor(LOAD * 0.2)) await outage.begin();
        if (i === Math.floor(LOAD * 0.7)) await outage.end();
        if (i === Math.floor(LOAD * 0.4)) {
          client.markDown(victim);
          await apps[victim]!.kill();
        }
        const { at, reply } = await client.send(command);
        statuses[`${command.type} ${reply.status}`] = (statuses[`${command.type} ${reply.status}`] ?? 0) + 1;
        const write = reply.status === 200 ? writeOf(command, reply.body) : undefined;
        if (write) problems.push(...(await readBack(write, client.anyLive(at), true)));
      });
      await outage.end();
      expect(problems).toEqual([]);
      expect(statuses['PlaceOrder 200']).toBeGreaterThan(LOAD / 2);
      survivors = client.live();
      expect(await strictReadYourWrites(STRICT_AFTER, 'ryw2')).toBe(STRICT_AFTER);
      console.log(
        JSON.stringify({ seed: SEED, victim, broker: outage.node, statuses, retried: client.retried }),
      );
    });

    it('converges: every view, read from each survivor page by page, equals a replay of the events', async () => {
      // Until the saga has settled every order and every confirmed order has its invoice, and the
      // views have caught up with the events: poll, then assert.
      const unsettled = (v: ViewContents) =>
        v.orders.filter((o) => o.status === 'PLACED' || (o.confirmedAt && !o.invoice));
      const deadline = Date.now() + 60_000;
      let served: ViewContents;
      for (;;) {
        events = await topicEvents(cluster.kafka('read-side-oracle'), serde);
        expected = expectedViewContents(events);
        served = await servedViewContents(client, survivors[0]!, customers);
        const done = unsettled(expected).length === 0 && isDeepStrictEqual(served, expected);
        if (done || Date.now() > deadline) break;
        await sleep(1000);
      }
      expect(unsettled(expected)).toEqual([]);
      expect(served).toEqual(expected);
      expect(await servedViewContents(client, survivors[1]!, customers)).toEqual(expected);
      const statuses = new Set(expected.orders.map((o) => o.status));
      expect(statuses).toEqual(new Set(['CONFIRMED', 'REJECTED', 'CANCELLED', 'SHIPPED']));
      expect(expected.joined.filter((o) => o.invoiceUrl !== null).length).toBeGreaterThan(20);
    });

    it('answers every key from each survivor as the replay has it', async () => {
      const rows: [string, unknown][] = [
        ...expected.products.map((row) => [`/views/products/${row.productId}`, row] as [string, unknown]),
        ...expected.orders.map((row) => [`/views/orders/${row.orderId}`, row] as [string, unknown]),
        ...expected.joined.map(
          (row) => [`/views/orders-with-invoices/${row.orderId}`, row] as [string, unknown],
        ),
      ];
      const mismatches: unknown[] = [];
      for (const at of survivors) {
        await pool(rows, 16, async ([path, row]) => {
          const reply = await client.get<unknown>(path, { at });
          if (reply.status !== 200 || !isDeepStrictEqual(reply.body, row))
            mismatches.push({ at, path, reply, row });
        });
        const missing = await client.get<{ code: string }>('/views/orders/no-such-order', { at });
        expect(missing).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
      }
      expect(mismatches).toEqual([]);
    });

    it('gives sampled aggregates their events as the topics hold them, and their state at a version', async () => {
      for (const domain of ['stock', 'orders', 'invoices'] as const) {
        const aggregates = [
          ...new Set(events.filter((e) => e.event.domain === domain).map((e) => e.event.aggregateId)),
        ];
        for (const id of [rng.pick(aggregates), rng.pick(aggregates), rng.pick(aggregates)]) {
          const mine = events.filter((e) => e.event.domain === domain && e.event.aggregateId === id);
          expect(mine.map((e) => e.event.sequence)).toEqual(mine.map((_, i) => i + 1));
          const at = routing.pick(survivors);
          const history = await client.get<{ version: number; events: unknown[] }>(
            `/aggregates/${domain}/${id}/events`,
            { at },
          );
          const shown = mine.map(({ event: { type, sequence, data }, id, time, position }) => ({
            id,
            type,
            sequence,
            time,
            position,
            data,
          }));
          expect(history).toMatchObject({ status: 200, body: { version: mine.length, events: json(shown) } });
          const decider = deciders[domain] as unknown as {
            initialState(): unknown;
            evolve(s: unknown, e: unknown): unknown;
          };
          const states: unknown[] = [];
          for (const { event } of mine) {
            states.push(
              decider.evolve(states.at(-1) ?? decider.initialState(), { type: event.type, data: event.data }),
            );
          }
          for (const version of new Set([1, mine.length])) {
            const reply = await client.get<unknown>(`/aggregates/${domain}/${id}?at=${version}`, { at });
            expect(reply).toMatchObject({ status: 200, body: { version, state: json(states[version - 1]) } });
          }
          expect((await client.get<unknown>(`/aggregates/${domain}/${id}`, { at })).body).toMatchObject({
            version: mine.length,
          });
        }
      }
    });
  });
}
