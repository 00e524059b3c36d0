import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudEventHeaders as H } from '../../src/commands/cloudEvents.js';
import { deciders } from '../../src/domain/domainCatalog.js';
import type { DomainName } from '../../src/domain/domainRecord.js';
import { SeededRandom } from '../../src/domain/testing/seededRandom.js';
import { type OrderRow, ordersView } from '../../src/domain/views/ordersView.js';
import {
  type OrderWithInvoiceRow,
  ordersWithInvoicesView,
} from '../../src/domain/views/ordersWithInvoicesView.js';
import { type ProductRow, productsView } from '../../src/domain/views/productsView.js';
import { Serde } from '../../src/serde/serde.js';
import type { ViewDefinition, ViewEvent } from '../../src/views/viewEvent.js';
import { type AppProcess, spawnApp } from '../support/appProcess.js';
import { startTestStack, type TestStack } from '../support/embeddedStack.js';
import { readTopic } from '../support/readTopic.js';
import { tempDir } from '../support/tempDir.js';

/**
 * The read side end to end: three `kes app` processes on one embedded broker serve the HTTP API.
 * Every write is read back with `?after=` from the other instances (read-your-writes): strictly
 * (every read answers 200 and reflects it) before and after a crash, and past 503s while a seeded
 * load of orders over scarce stock, stock changes, cancellations and shipments goes to random
 * instances and one of them is killed with SIGKILL. Afterwards every view, read from each
 * survivor page by page and key by key, equals a replay of the events topics through the views'
 * own `evolve`, and sampled aggregates' histories and states equal their events in the topics.
 */
const SEED = 7321;
const PRODUCTS = 40;
const CUSTOMERS = 20;
const LOAD = 360;
const STRICT_BEFORE = 90;
const STRICT_AFTER = 60;

interface Reply<T> {
  readonly status: number;
  readonly body: T;
}
interface Accepted {
  readonly version: number;
  readonly position: string | null;
}
interface Command {
  readonly type: string;
  readonly data: Record<string, unknown>;
  /** The Idempotency-Key, sent again unchanged on every retry. */
  readonly key: string;
}
/** What a write changed, to read back: a product, or an order (in its final status after a cancel or ship). */
type Write =
  | { kind: 'product'; id: string; version: number; position: string }
  | { kind: 'order'; id: string; version: number; position: string; customerId: string; status?: string };
interface Views {
  readonly products: ProductRow[];
  readonly orders: OrderRow[];
  readonly joined: OrderWithInvoiceRow[];
  readonly byCustomer: Record<string, OrderWithInvoiceRow[]>;
}
/** An event of the events topics as a view sees it, with what its history shows. */
interface TopicEvent {
  readonly event: ViewEvent;
  readonly id: string;
  readonly time: string;
  readonly position: string;
}

let stack: TestStack;
let serde: Serde;
const apps: AppProcess[] = [];
const alive = [true, true, true];
const dirs = Array.from({ length: 3 }, () => tempDir('kes-read-e2e-'));
const rng = new SeededRandom(SEED);
const routing = new SeededRandom(SEED + 1);
const retried = { commands: 0, reads: 0 };
const customerOf = new Map<string, string>();
const ids = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(2, '0')}`);
const customers = ids('c', CUSTOMERS);
const productIds = ids('p', PRODUCTS);

beforeAll(async () => {
  stack = await startTestStack({ groupInitialRebalanceDelayMs: 0 });
  serde = new Serde({ registry: new SchemaRegistry({ host: stack.registry.url }) });
  await serde.registerAll();
  const start = (i: number) =>
    spawnApp({
      brokers: stack.broker.broker.bootstrap,
      registry: stack.registry.url,
      dataDir: dirs[i]!.path,
      instanceId: `app-${i}`,
    });
  apps.push(...(await Promise.all([0, 1, 2].map(start))));
}, 120_000);

afterAll(async () => {
  for (const app of apps) await app.kill();
  await stack?.stop();
  for (const d of dirs) d.remove();
});

const json = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const byKey =
  <T>(key: (row: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : 1;
const live = (except?: number) => [0, 1, 2].filter((i) => alive[i] && i !== except);
const anyLive = (except?: number) => routing.pick(live(except));

async function call<T>(at: number, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(apps[at]!.url + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, body: (await response.json()) as T } satisfies Reply<T>;
}

/**
 * Sends a command until it has a final answer (200, 409, 422): again, with the same
 * Idempotency-Key, to a live instance after a 202, a 503 or a lost connection — as clients do.
 */
async function send(command: Command): Promise<{ at: number; reply: Reply<Accepted> }> {
  const deadline = Date.now() + 90_000;
  for (let at = anyLive(); ; at = anyLive()) {
    const reply = await call<Accepted>(at, `/commands/${command.type}`, command.data, {
      'idempotency-key': command.key,
    }).catch((err: Error) => err);
    const problem = reply instanceof Error ? reply.message : `${reply.status} ${JSON.stringify(reply.body)}`;
    if (!(reply instanceof Error)) {
      if ([200, 409, 422].includes(reply.status)) return { at, reply };
      if (reply.status !== 202 && reply.status !== 503) throw new Error(`${command.key}: ${problem}`);
    }
    if (Date.now() > deadline) throw new Error(`${command.key}: no final answer in 90 s (${problem})`);
    retried.commands++;
    await sleep(250);
  }
}

/** GET; `patient` asks again after a 503, a 504 or a lost connection (a rebalance, the killed instance). */
async function get<T>(at: number, path: string, patient = false): Promise<Reply<T>> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const reply = await call<T>(at, path).catch((err: Error) => err);
    if (!patient && reply instanceof Error) throw new Error(`GET ${path} from ${at}: ${reply.message}`);
    if (!(reply instanceof Error) && (!patient || ![503, 504].includes(reply.status))) return reply;
    if (Date.now() > deadline) throw new Error(`GET ${path} from ${at}: unavailable for 60 s`);
    retried.reads++;
    await sleep(250);
    if (!alive[at]) at = anyLive();
  }
}

/** Every row of a view (or of an index value), page by page; throws on any answer but 200. */
async function all<T>(at: number, path: string, patient = false): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page = cursor === null ? path : `${path}&cursor=${cursor}`;
    const reply: Reply<{ items: T[]; next: string | null }> = await get(at, page, patient);
    if (reply.status !== 200)
      throw new Error(`GET ${page} from ${at}: ${reply.status} ${JSON.stringify(reply.body)}`);
    items.push(...reply.body.items);
    cursor = reply.body.next;
  } while (cursor !== null);
  return items;
}

/** Runs `run` over the items, `workers` at a time. */
async function pool<T>(items: readonly T[], workers: number, run: (item: T, index: number) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await run(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
}

function writeOf(command: Command, { version, position }: Accepted): Write | undefined {
  if (position === null) return undefined; // accepted without events: nothing to read back
  if (typeof command.data.productId === 'string')
    return { kind: 'product', id: command.data.productId, version, position };
  const id = command.data.orderId as string;
  const status = ({ CancelOrder: 'CANCELLED', ShipOrder: 'SHIPPED' } as Record<string, string>)[command.type];
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
      check(path, await get<ProductRow>(at, path, patient), (row) => row.version >= write.version);
      return problems;
    }
    const fits = (row: { status: string | null }) =>
      row.status !== null && (write.status ?? row.status) === row.status;
    const order = `/views/orders/${write.id}?${after}`;
    check(order, await get<OrderRow>(at, order, patient), (row) => row.version >= write.version && fits(row));
    const joined = `/views/orders-with-invoices/${write.id}?${after}`;
    check(joined, await get<OrderWithInvoiceRow>(at, joined, patient), fits);
    const list = `/views/orders-with-invoices?customerId=${write.customerId}&limit=500&${after}`;
    const rows = await all<OrderWithInvoiceRow>(at, list, patient);
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
    const { at, reply } = await send(command);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    for (const reader of live(at)) {
      problems.push(...(await readBack(writeOf(command, reply.body)!, reader, false)));
      reads++;
    }
  });
  expect(problems).toEqual([]);
  return reads;
}

/** Every event of the events topics (read_committed), in partition and offset order. */
async function topicEvents(): Promise<TopicEvent[]> {
  const kafka = stack.broker.kafka('read-side-oracle');
  const topics = ['stock.events', 'orders.events', 'invoices.events'];
  const records = await Promise.all(topics.map((topic) => readTopic(kafka, topic)));
  const out: TopicEvent[] = [];
  for (const [i, topic] of topics.entries()) {
    for (const { partition, message } of records[i]!) {
      const header = (name: string) => message.headers?.[name]?.toString();
      const decoded = await serde.decode(message.value!);
      const [, domain, type] = decoded.type.split('.') as [string, DomainName, string];
      const time = header(H.time)!;
      const aggregateId = header(H.subject) ?? message.key!.toString();
      const sequence = Number(header(H.sequence));
      const event: ViewEvent = {
        domain,
        type,
        aggregateId,
        sequence,
        time: Date.parse(time),
        data: decoded.value,
      };
      out.push({ event, id: header(H.id)!, time, position: `${topic}:${partition}:${message.offset}` });
    }
  }
  return out;
}

/** A view replayed: every event of its types through `evolve`, in topic order; the visible rows. */
function replayView<Row>(view: ViewDefinition<Row>, events: readonly ViewEvent[]): Row[] {
  const types = new Set(view.eventTypes);
  const rows = new Map<string, Row>();
  for (const event of events) {
    if (!types.has(`kes.${event.domain}.${event.type}`)) continue;
    const key = view.keyOf ? view.keyOf(event) : event.aggregateId;
    if (key === undefined) continue;
    const row = view.evolve(rows.get(key), event);
    if (row === undefined) rows.delete(key);
    else rows.set(key, row);
  }
  return [...rows.values()].filter((row) => view.isVisible?.(row) ?? true);
}

/** What the views must hold, as JSON (in key order, as pages list them). */
function expectedViews(events: readonly TopicEvent[]): Views {
  const all = events.map((e) => e.event);
  const joined = replayView(ordersWithInvoicesView, all).sort(byKey((r) => r.orderId));
  const byCustomer: Record<string, OrderWithInvoiceRow[]> = {};
  for (const row of joined) (byCustomer[row.customerId!] ??= []).push(row);
  return json({
    products: replayView(productsView, all).sort(byKey((r) => r.productId)),
    orders: replayView(ordersView, all).sort(byKey((r) => r.orderId)),
    joined,
    byCustomer,
  });
}

/** The views as instance `at` serves them, page by page (small pages, crossing partitions). */
async function servedViews(at: number): Promise<Views> {
  const byCustomer: Record<string, OrderWithInvoiceRow[]> = {};
  await pool(customers, 5, async (c) => {
    const rows = await all<OrderWithInvoiceRow>(at, `/views/orders-with-invoices?customerId=${c}&limit=4`);
    if (rows.length > 0) byCustomer[c] = rows;
  });
  return {
    products: await all<ProductRow>(at, '/views/products?limit=7'),
    orders: await all<OrderRow>(at, '/views/orders?limit=45'),
    joined: await all<OrderWithInvoiceRow>(at, '/views/orders-with-invoices?limit=45'),
    byCustomer,
  };
}

describe('the read side: three instances, one killed with SIGKILL under load', () => {
  let survivors: number[] = [];
  let events: TopicEvent[] = [];
  let expected: Views;

  it('serves every key from every instance', async () => {
    const stock = productIds.map((id) => ({ id, initial: rng.int(2, 8) }));
    await pool(stock, 8, async ({ id, initial }) => {
      const data = { productId: id, name: `Product ${id}`, initialStock: initial };
      const { reply } = await send({ type: 'AddProduct', data, key: `add-${id}` });
      expect(reply.status).toBe(200);
      for (const at of [0, 1, 2]) {
        const row = await get<ProductRow>(at, `/views/products/${id}?after=${reply.body.position}`);
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
    const statuses: Record<string, number> = {};
    const problems: string[] = [];
    await pool(loadCommands(), 12, async (command, i) => {
      if (i === Math.floor(LOAD * 0.4)) {
        alive[victim] = false;
        await apps[victim]!.kill();
      }
      const { at, reply } = await send(command);
      statuses[`${command.type} ${reply.status}`] = (statuses[`${command.type} ${reply.status}`] ?? 0) + 1;
      const write = reply.status === 200 ? writeOf(command, reply.body) : undefined;
      if (write) problems.push(...(await readBack(write, anyLive(at), true)));
    });
    expect(problems).toEqual([]);
    expect(statuses['PlaceOrder 200']).toBeGreaterThan(LOAD / 2);
    survivors = live();
    expect(await strictReadYourWrites(STRICT_AFTER, 'ryw2')).toBe(STRICT_AFTER);
    console.log(JSON.stringify({ seed: SEED, victim, statuses, retried }));
  });

  it('converges: every view, read from each survivor page by page, equals a replay of the events', async () => {
    // Until the saga has settled every order and every confirmed order has its invoice, and the
    // views have caught up with the events: poll, then assert.
    const unsettled = (v: Views) =>
      v.orders.filter((o) => o.status === 'PLACED' || (o.confirmedAt && !o.invoice));
    const deadline = Date.now() + 60_000;
    let served: Views;
    for (;;) {
      events = await topicEvents();
      expected = expectedViews(events);
      served = await servedViews(survivors[0]!);
      const done = unsettled(expected).length === 0 && isDeepStrictEqual(served, expected);
      if (done || Date.now() > deadline) break;
      await sleep(1000);
    }
    expect(unsettled(expected)).toEqual([]);
    expect(served).toEqual(expected);
    expect(await servedViews(survivors[1]!)).toEqual(expected);
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
        const reply = await get<unknown>(at, path);
        if (reply.status !== 200 || !isDeepStrictEqual(reply.body, row))
          mismatches.push({ at, path, reply, row });
      });
      const missing = await get<{ code: string }>(at, '/views/orders/no-such-order');
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
        const history = await get<{ version: number; events: unknown[] }>(
          at,
          `/aggregates/${domain}/${id}/events`,
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
          const reply = await get<unknown>(at, `/aggregates/${domain}/${id}?at=${version}`);
          expect(reply).toMatchObject({ status: 200, body: { version, state: json(states[version - 1]) } });
        }
        expect((await get<unknown>(at, `/aggregates/${domain}/${id}`)).body).toMatchObject({
          version: mine.length,
        });
      }
    }
  });
});
