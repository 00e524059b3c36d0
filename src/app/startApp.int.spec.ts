import * as fs from 'node:fs';
import type { Producer } from 'kafkajs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandResults } from '../../test/support/commandResults.js';
import { consumeAll } from '../../test/support/consumeAll.js';
import { readTopic } from '../../test/support/readTopic.js';
import { startTestStack, type TestStack } from '../../test/support/embeddedStack.js';
import { tempDir } from '../../test/support/tempDir.js';
import { CloudEventHeaders } from '../commands/cloudEvents.js';
import type { CommandInput } from '../commands/commandSender.js';
import { type AppHandle, startApp } from './startApp.js';
import { application } from '../../topology/application.js';

/**
 * The write side in one process on the embedded stack: command handlers, the fulfilment saga and
 * the invoicing policy, driven through their topics.
 */
let stack: TestStack;
let app: AppHandle;
let dataDir: { path: string; remove(): void };
let producer: Producer;
let results: CommandResults;
const logger = pino({ level: process.env.KES_TEST_LOG_LEVEL ?? 'silent' });

async function start(): Promise<AppHandle> {
  const started = await startApp({
    application,
    brokers: [stack.broker.broker.bootstrap],
    registryUrl: stack.registry.url,
    dataDir: dataDir.path,
    instanceId: 'app-test',
    env: { KES_INVOICE_BASE_URL: 'https://invoices.test/' },
    logger,
  });
  await started.streams.whenReady();
  return started;
}

beforeAll(async () => {
  stack = await startTestStack();
  dataDir = tempDir('kes-app-');
  app = await start();
  producer = app.kafka.producer();
  await producer.connect();
  results = await CommandResults.follow(app.kafka, app.serde);
}, 120_000);

afterAll(async () => {
  await results.stop();
  await producer.disconnect();
  await app.close();
  await stack.stop();
  dataDir.remove();
});

async function send(input: CommandInput) {
  const sent = await app.sender.send(producer, input);
  return results.waitFor(sent.commandId);
}

/** Decoded records of a topic for one key, in order, with their headers. */
async function eventsOf(topic: string, key: string) {
  const records = (await readTopic(app.kafka, topic)).filter((r) => r.message.key?.toString() === key);
  return Promise.all(
    records.map(async ({ message }) => ({
      ...(await app.serde.decode(message.value!)),
      headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
    })),
  );
}

describe('the write side', () => {
  it('adds products and refuses what the rules refuse', async () => {
    expect(
      await send({ type: 'AddProduct', data: { productId: 'apple', name: 'Apple', initialStock: 10 } }),
    ).toMatchObject({
      status: 'ACCEPTED',
      version: 1,
      eventCount: 1,
      events: [expect.objectContaining({ type: 'kes.stock.ProductAdded', sequence: 1 })],
    });
    await send({ type: 'AddProduct', data: { productId: 'pear', name: 'Pear', initialStock: 1 } });
    expect(
      await send({ type: 'AddProduct', data: { productId: 'apple', name: 'Again', initialStock: 1 } }),
    ).toMatchObject({
      status: 'REJECTED',
      rejection: { code: 'PRODUCT_ALREADY_EXISTS' },
    });
    expect(await send({ type: 'DecreaseStock', data: { productId: 'apple', quantity: 99 } })).toMatchObject({
      status: 'REJECTED',
      rejection: { code: 'INSUFFICIENT_STOCK' },
      version: 1,
    });
  });

  it('answers CONFLICT to a wrong expected version, and accepts the right one', async () => {
    expect(
      await send({ type: 'IncreaseStock', data: { productId: 'apple', quantity: 1 }, expectedVersion: 7 }),
    ).toMatchObject({ status: 'CONFLICT', rejection: { code: 'VERSION_CONFLICT' } });
    expect(
      await send({ type: 'IncreaseStock', data: { productId: 'apple', quantity: 1 }, expectedVersion: 1 }),
    ).toMatchObject({ status: 'ACCEPTED', version: 2 });
  });

  it('gives one set of events and the same result to a command id sent three times', async () => {
    const input = {
      type: 'IncreaseStock',
      data: { productId: 'apple', quantity: 5 },
      commandId: 'once-only',
    };
    // In one produce request, so the repeats are decided in the same transaction as the first.
    const { record } = await app.sender.prepare(input);
    const message = { key: record.key, value: record.value, headers: { ...record.headers } };
    await producer.send({ topic: record.topic, acks: -1, messages: [message, message, message] });
    const third = await results.waitFor('once-only', { count: 3 });
    const [first, second] = results.of('once-only');
    expect(first).toMatchObject({ status: 'ACCEPTED', version: 3, eventCount: 1 });
    expect(second).toEqual(first);
    expect(third).toEqual(first);
    const increases = (await eventsOf('stock.events', 'apple')).filter(
      (e) => e.headers[CloudEventHeaders.causationId] === 'once-only',
    );
    expect(increases).toHaveLength(1);
    expect(first!.position).toMatchObject({ topic: 'stock.events' });
  });

  it('confirms an order it can reserve, invoices it, and rejects one it cannot, releasing what it reserved', async () => {
    const ok = await send({
      type: 'PlaceOrder',
      data: {
        orderId: 'o-1',
        customerId: 'c-1',
        customerName: 'Ada',
        items: [
          { productId: 'apple', quantity: 2, unitPrice: 150 },
          { productId: 'pear', quantity: 1, unitPrice: 200 },
        ],
      },
    });
    expect(ok).toMatchObject({ status: 'ACCEPTED', version: 1 });
    await results.waitFor('o-1/confirm');
    const invoiced = await results.waitFor('o-1/invoice');
    expect(invoiced).toMatchObject({ status: 'ACCEPTED', aggregateId: 'INV-o-1' });

    await send({
      type: 'PlaceOrder',
      data: {
        orderId: 'o-2',
        customerId: 'c-2',
        customerName: 'Bob',
        items: [
          { productId: 'apple', quantity: 3, unitPrice: 150 },
          { productId: 'pear', quantity: 1, unitPrice: 200 },
        ],
      },
    });
    expect(await results.waitFor('o-2/reject')).toMatchObject({ status: 'ACCEPTED' });
    await results.waitFor('o-2/release/0');

    const orders = await eventsOf('orders.events', 'o-2');
    expect(orders.map((e) => e.type)).toEqual(['kes.orders.OrderPlaced', 'kes.orders.OrderRejected']);
    const invoice = await eventsOf('invoices.events', 'INV-o-1');
    expect(invoice[0]!.value).toMatchObject({
      orderId: 'o-1',
      amount: 500,
      invoiceUrl: 'https://invoices.test/INV-o-1',
    });
    const apple = (await eventsOf('stock.events', 'apple')).map((e) => e.type.replace('kes.stock.', ''));
    expect(apple).toEqual([
      'ProductAdded',
      'StockIncreased',
      'StockIncreased',
      'StockReserved',
      'StockReserved',
      'StockReleased',
    ]);
    // 10 + 1 + 5 - 2 (o-1, kept) = 14 available.
    expect(await send({ type: 'DecreaseStock', data: { productId: 'apple', quantity: 15 } })).toMatchObject({
      status: 'REJECTED',
      rejection: { code: 'INSUFFICIENT_STOCK' },
    });
  });

  it('sends an undecodable command to the dead-letter topic with a FAILED result and keeps going', async () => {
    await producer.send({
      topic: 'stock.commands',
      messages: [
        { key: 'apple', value: Buffer.from('not avro'), headers: { [CloudEventHeaders.id]: 'garbage-1' } },
      ],
    });
    expect(await results.waitFor('garbage-1')).toMatchObject({
      status: 'FAILED',
      rejection: { code: 'UNDECODABLE_COMMAND' },
    });
    const dlq = await consumeAll(app.kafka, 'stock-commands.dlq', 1);
    expect(dlq[0]).toMatchObject({ key: 'apple', value: 'not avro' });
    expect(await send({ type: 'IncreaseStock', data: { productId: 'apple', quantity: 1 } })).toMatchObject({
      status: 'ACCEPTED',
    });
  });

  it('restores a deleted store from the changelog and goes on from the right version', async () => {
    const before = await send({ type: 'IncreaseStock', data: { productId: 'pear', quantity: 1 } });
    await app.close();
    fs.rmSync(dataDir.path, { recursive: true, force: true });
    app = await start();
    const after = await send({ type: 'IncreaseStock', data: { productId: 'pear', quantity: 1 } });
    expect(after).toMatchObject({ status: 'ACCEPTED', version: before.version! + 1 });
  });
});
