import * as fs from 'node:fs';
import * as path from 'node:path';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../../test/support/embeddedBroker.js';
import { startTestRegistry } from '../../test/support/embeddedRegistry.js';
import type { RegistryHandle } from '../registry/index.js';
import { Serde } from './serde.js';
import { samples } from './testing/recordSamples.js';
import { encodeWire } from './wireFormat.js';
import { application } from '../../topology/application.js';

let broker: TestBroker;
let registry: RegistryHandle;
let serde: Serde;

beforeAll(async () => {
  broker = await startTestBroker();
  registry = await startTestRegistry(broker);
  serde = Serde.forApplication(application, new SchemaRegistry({ host: registry.url }));
});
afterAll(async () => {
  await registry.close();
  await broker.stop();
});

const json = async (p: string) => (await fetch(`${registry.url}${p}`)).json();

describe('Serde against the embedded registry', () => {
  it('registers every schema version under <topic>-<full name> with BACKWARD_TRANSITIVE', async () => {
    const registered = await serde.registerAll();
    // 50 subjects, OrderPlaced and CommandResult with two versions.
    expect(registered).toHaveLength(52);
    const orderPlaced = registered.filter((r) => r.subject === 'orders.events-kes.orders.OrderPlaced');
    expect(orderPlaced.map((r) => r.version)).toEqual([1, 2]);
    expect(await json('/subjects/orders.events-kes.orders.OrderPlaced/versions')).toEqual([1, 2]);
    // CommandResult v2 (ERROR renamed FAILED, with FAILED the enum's default) over v1.
    expect(await json('/subjects/kes.command-results-kes.common.CommandResult/versions')).toEqual([1, 2]);
    expect(await json('/config/stock.events-kes.stock.StockReserved')).toEqual({
      compatibilityLevel: 'BACKWARD_TRANSITIVE',
    });
    // Registering again changes nothing.
    expect(await serde.registerAll()).toEqual(registered);
    expect(await json('/subjects/orders.events-kes.orders.OrderPlaced/versions')).toEqual([1, 2]);
  });

  it.each(samples)('encodes and decodes %s %s', async (topic, type, value) => {
    const encoded = await serde.encode(topic, type, value);
    expect(encoded[0]).toBe(0);
    const decoded = await serde.decode(encoded);
    expect(decoded.type).toBe(type);
    expect(decoded.value).toEqual(value);
  });

  it('fills defaults when encoding (currency of an invoice)', async () => {
    const { currency: _currency, ...withoutCurrency } = samples[5]![2];
    const decoded = await serde.decode(
      await serde.encode('invoices.commands', 'kes.invoices.IssueInvoice', withoutCurrency),
    );
    expect(decoded.value.currency).toBe('EUR');
  });

  it('refuses a type on a topic it does not travel on', async () => {
    await expect(serde.encode('stock.events', 'kes.orders.OrderPlaced', {})).rejects.toThrow(
      'kes.orders.OrderPlaced is not a record type of stock.events',
    );
  });

  it('decodes golden v1 OrderPlaced events framed with the id registered for version 1', async () => {
    const golden = JSON.parse(
      fs.readFileSync(path.join(import.meta.dirname, 'golden/OrderPlaced.v1.json'), 'utf8'),
    ) as { cases: { avro: string; expected: Record<string, unknown> }[] };
    const v1 = (await json('/subjects/orders.events-kes.orders.OrderPlaced/versions/1')) as { id: number };
    for (const c of golden.cases) {
      const decoded = await serde.decode(encodeWire(v1.id, Buffer.from(c.avro, 'hex')));
      expect(decoded).toMatchObject({ writerVersion: 1, version: 2 });
      expect(decoded.value).toEqual(c.expected);
    }
  });

  it('reads values other Confluent clients wrote (the registry client encoding with the id)', async () => {
    const client = new SchemaRegistry({ host: registry.url });
    const id = (await json('/subjects/stock.commands-kes.stock.AddProduct/versions/latest')) as {
      id: number;
    };
    const encoded = await client.encode(id.id, { productId: 'p-7', name: 'Desk', initialStock: 1 });
    expect((await serde.decode(encoded)).value).toEqual({ productId: 'p-7', name: 'Desk', initialStock: 1 });
  });
});
