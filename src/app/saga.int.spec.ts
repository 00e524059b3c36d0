import type { Producer } from 'kafkajs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandResults } from '../../test/support/commandResults.js';
import { startTestStack, type TestStack } from '../../test/support/embeddedStack.js';
import { readTopic } from '../../test/support/readTopic.js';
import { tempDir } from '../../test/support/tempDir.js';
import { isSnapshotKey, type AggregateSnapshot } from '../commands/aggregateSnapshot.js';
import type { OrderState } from '../../examples/shop/orders/orderState.js';
import type { StockState } from '../../examples/shop/stock/stockState.js';
import { type AppHandle, startApp } from './startApp.js';
import { application } from '../../topology/application.js';

/**
 * The fulfilment saga at scale: 60 orders compete for scarce stock of 8 products. Orders that
 * can be fully reserved end CONFIRMED with an invoice; the others end REJECTED with every partial
 * reservation released; no stock event ever shows a negative count; and what stays reserved is
 * exactly what the confirmed orders hold.
 */
const PRODUCTS = 8;
const ORDERS = 60;

let stack: TestStack;
let app: AppHandle;
let producer: Producer;
let results: CommandResults;
const dir = tempDir('kes-saga-');

beforeAll(async () => {
  stack = await startTestStack();
  app = await startApp({
    application,
    brokers: [stack.broker.broker.bootstrap],
    registryUrl: stack.registry.url,
    dataDir: dir.path,
    instanceId: 'saga-test',
    logger: pino({ level: process.env.KES_TEST_LOG_LEVEL ?? 'silent' }),
  });
  await app.streams.whenReady();
  producer = app.kafka.producer();
  await producer.connect();
  results = await CommandResults.follow(app.kafka, app.serde);
}, 120_000);

afterAll(async () => {
  await results.stop();
  await producer.disconnect();
  await app.close();
  await stack.stop();
  dir.remove();
});

function random(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** The latest snapshot of every aggregate of a domain. */
async function snapshots<S>(domain: string): Promise<Map<string, AggregateSnapshot<S>>> {
  const latest = new Map<string, AggregateSnapshot<S>>();
  for (const { message } of await readTopic(app.kafka, `${domain}.aggregates`)) {
    const key = message.key!.toString();
    if (!isSnapshotKey(key) || message.value === null) continue; // remembered results, expiries
    latest.set(key, JSON.parse(message.value.toString()) as AggregateSnapshot<S>);
  }
  return latest;
}

describe('order fulfilment', () => {
  it('confirms and invoices what can be reserved, rejects and releases the rest, never going negative', async () => {
    const next = random(7);
    for (let p = 0; p < PRODUCTS; p++) {
      await app.sender.send(producer, {
        type: 'AddProduct',
        data: { productId: `sku-${p}`, name: `SKU ${p}`, initialStock: 5 + Math.floor(next() * 10) },
      });
    }
    const orderIds: string[] = [];
    for (let o = 0; o < ORDERS; o++) {
      const lines = 1 + Math.floor(next() * 3);
      const products = [...new Set(Array.from({ length: lines }, () => Math.floor(next() * PRODUCTS)))];
      const orderId = `order-${o}`;
      orderIds.push(orderId);
      await app.sender.send(producer, {
        type: 'PlaceOrder',
        data: {
          orderId,
          customerId: `customer-${o % 7}`,
          customerName: `Customer ${o % 7}`,
          items: products.map((p) => ({
            productId: `sku-${p}`,
            quantity: 1 + Math.floor(next() * 4),
            unitPrice: 100,
          })),
        },
      });
    }
    // Every order ends confirmed or rejected.
    const deadline = Date.now() + 60_000;
    const outcome = new Map<string, 'confirmed' | 'rejected'>();
    while (outcome.size < ORDERS && Date.now() < deadline) {
      for (const id of orderIds) {
        if (results.of(`${id}/confirm`).length > 0) outcome.set(id, 'confirmed');
        if (results.of(`${id}/reject`).length > 0) outcome.set(id, 'rejected');
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(outcome.size).toBe(ORDERS);
    const confirmed = [...outcome].filter(([, o]) => o === 'confirmed').map(([id]) => id);
    expect(confirmed.length).toBeGreaterThan(0);
    expect(confirmed.length).toBeLessThan(ORDERS);
    for (const id of confirmed) await results.waitFor(`${id}/invoice`);

    // Let the releases of late reservations settle, then compare stock with the orders.
    await new Promise((r) => setTimeout(r, 2000));
    const orders = await snapshots<OrderState>('orders');
    const held = new Map<string, number>();
    for (const [id, snapshot] of orders) {
      const state = snapshot.state as OrderState & {
        status: string;
        items?: { productId: string; quantity: number }[];
      };
      expect(state.status).toBe(outcome.get(id) === 'confirmed' ? 'CONFIRMED' : 'REJECTED');
      if (state.status === 'CONFIRMED') {
        for (const item of state.items!)
          held.set(item.productId, (held.get(item.productId) ?? 0) + item.quantity);
      }
    }
    for (const [productId, snapshot] of await snapshots<StockState>('stock')) {
      const state = snapshot.state as StockState & { reserved: number; available: number };
      expect(state.reserved, productId).toBe(held.get(productId) ?? 0);
      expect(state.available).toBeGreaterThanOrEqual(0);
    }
    // No stock event ever reports a negative count.
    for (const { message } of await readTopic(app.kafka, 'stock.events')) {
      const { value } = await app.serde.decode(message.value!);
      const available = (value as { available?: number }).available;
      if (available !== undefined) expect(available).toBeGreaterThanOrEqual(0);
    }
    // Every confirmed order has exactly one invoice, of its total.
    const invoices = await snapshots<{ status: string; orderId?: string }>('invoices');
    expect([...invoices.values()].map((s) => s.state.orderId).sort()).toEqual([...confirmed].sort());
  });
});
