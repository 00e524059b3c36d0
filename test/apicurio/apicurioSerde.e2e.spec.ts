import * as fs from 'node:fs';
import * as path from 'node:path';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import avsc from 'avsc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Serde } from '../../src/serde/serde.js';
import { samples } from '../../src/serde/testing/recordSamples.js';
import { encodeWire } from '../../src/serde/wireFormat.js';
import { type AppProcess, spawnApp } from '../support/appProcess.js';
import { startTestBroker, type TestBroker } from '../support/embeddedBroker.js';
import { applyTestTopology } from '../support/embeddedStack.js';
import { KesClient } from '../support/kesClient.js';
import { tempDir } from '../support/tempDir.js';
import { type ApicurioRegistry, startApicurio } from './apicurioRegistry.js';
import { application } from '../../topology/application.js';

// kes's serde, and then `kes app`, with Apicurio Registry as their schema registry (its
// Confluent-compatible API) in place of kes's own: registering every schema of the catalog,
// encoding and decoding every record type, upcasting old events, and commands round-tripping
// through the processors over the embedded broker.

let apicurio: ApicurioRegistry;
let broker: TestBroker;
let serde: Serde;
let app: AppProcess | undefined;
const data = tempDir('kes-apicurio-app-');

beforeAll(async () => {
  apicurio = await startApicurio();
  broker = await startTestBroker({ autoCreateTopics: false });
  await applyTestTopology(broker.kafka('kes-test-topology'));
  serde = Serde.forApplication(application, new SchemaRegistry({ host: apicurio.url }));
}, 600_000); // long enough to fetch Apicurio first where `npm run apicurio:fetch` has not
afterAll(async () => {
  await app?.stop();
  await apicurio?.stop();
  await broker?.stop();
  data.remove();
});

const json = async (p: string) => (await fetch(`${apicurio.url}${p}`)).json();

describe('Serde against Apicurio Registry', () => {
  it('registers every schema version under <topic>-<full name> with BACKWARD_TRANSITIVE, once', async () => {
    const registered = await serde.registerAll();
    expect(registered).toHaveLength(serde.catalog.subjects().reduce((n, s) => n + s.type.versions.length, 0));
    expect(await json('/subjects/orders.events-kes.orders.OrderPlaced/versions')).toEqual([1, 2]);
    expect(await json('/config/stock.events-kes.stock.StockReserved')).toEqual({
      compatibilityLevel: 'BACKWARD_TRANSITIVE',
    });
    expect(((await json('/subjects')) as string[]).sort()).toEqual(
      serde.catalog
        .subjects()
        .map((s) => s.subject)
        .sort(),
    );
    // Registering again (as every start of `kes app` does) changes nothing.
    expect(await serde.registerAll()).toEqual(registered);
    expect(await json('/subjects/orders.events-kes.orders.OrderPlaced/versions')).toEqual([1, 2]);
  });

  it.each(samples)('encodes and decodes %s %s', async (topic, type, value) => {
    const decoded = await serde.decode(await serde.encode(topic, type, value));
    expect(decoded.type).toBe(type);
    expect(decoded.value).toEqual(value);
  });

  it('encodes and decodes a value of every record type of every domain, with ids Apicurio issued', async () => {
    const subjects = serde.catalog.subjects();
    for (const { topic, type } of subjects) {
      const schema = avsc.Type.forSchema(JSON.parse(type.versions.at(-1)!.text) as avsc.Schema);
      const value = schema.random() as unknown as Record<string, unknown>;
      const encoded = await serde.encode(topic, type.fullName, value);
      const latest = (await json(`/subjects/${topic}-${type.fullName}/versions/latest`)) as { id: number };
      expect(encoded.readInt32BE(1)).toBe(latest.id);
      const decoded = await serde.decode(encoded);
      expect({ type: decoded.type, value: decoded.value }).toEqual({ type: type.fullName, value });
    }
    expect(subjects.length).toBeGreaterThan(40);
  });

  it('upcasts golden v1 OrderPlaced events framed with the id Apicurio gave version 1', async () => {
    const golden = JSON.parse(
      fs.readFileSync(
        path.resolve(import.meta.dirname, '../../src/serde/golden/OrderPlaced.v1.json'),
        'utf8',
      ),
    ) as { cases: { avro: string; expected: Record<string, unknown> }[] };
    const v1 = (await json('/subjects/orders.events-kes.orders.OrderPlaced/versions/1')) as { id: number };
    for (const c of golden.cases) {
      const decoded = await serde.decode(encodeWire(v1.id, Buffer.from(c.avro, 'hex')));
      expect(decoded).toMatchObject({ writerVersion: 1, version: 2 });
      expect(decoded.value).toEqual(c.expected);
    }
  });
});

describe('kes app with Apicurio Registry as its registry', () => {
  it('starts, and a saga runs commands through to the views', async () => {
    app = await spawnApp({
      brokers: broker.broker.bootstrap,
      registry: apicurio.url,
      dataDir: data.path,
      instanceId: 'apicurio-0',
    });
    const client = new KesClient([app.url]);
    const added = await client.send({
      type: 'AddProduct',
      data: { productId: 'apple', name: 'Apple', initialStock: 10 },
      key: 'add-apple',
    });
    expect(added.reply).toMatchObject({ status: 200, body: { version: 1 } });
    const order = {
      orderId: 'order-1',
      customerId: 'ada',
      customerName: 'Ada Lovelace',
      items: [{ productId: 'apple', quantity: 3, unitPrice: 120 }],
    };
    expect((await client.send({ type: 'PlaceOrder', data: order, key: 'order-1' })).reply.status).toBe(200);
    // The fulfilment saga reserves the apples and confirms the order; the invoicing policy invoices it.
    await expect
      .poll(async () => (await client.get('/views/orders/order-1')).body, { timeout: 30_000, interval: 200 })
      .toMatchObject({ status: 'CONFIRMED', invoice: { invoiceId: 'INV-order-1' } });
    expect((await client.get('/views/products/apple')).body).toMatchObject({ available: 7, reserved: 3 });
  });
});
