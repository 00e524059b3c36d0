import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalSchema } from '../registry/canonicalSchema.js';
import { domainUpcasters } from '../../examples/shop/orders/orderUpcasters.js';
import { application } from '../../topology/application.js';
import { applicationCatalog } from './serde.js';
import { parse, RecordDecoder, UnknownRecordTypeError } from './recordDecoder.js';
import { Upcasters } from './upcasters.js';
import { encodeWire } from './wireFormat.js';

interface Golden {
  type: string;
  writerVersion: number;
  writerSchema: string;
  cases: { name: string; avro: string; expected: Record<string, unknown> }[];
}

const golden = JSON.parse(
  fs.readFileSync(path.join(import.meta.dirname, 'golden/OrderPlaced.v1.json'), 'utf8'),
) as Golden;
const catalog = applicationCatalog(application);
const orderPlaced = catalog.get('kes.orders.OrderPlaced')!;

/** A decoder whose registry knows the given writer schemas by id. */
function decoderWith(writers: Record<number, string>, upcasters = domainUpcasters()) {
  const fetched: number[] = [];
  const decoder = new RecordDecoder(catalog, upcasters, async (id) => {
    fetched.push(id);
    const text = writers[id];
    if (!text) throw new Error(`no schema ${id}`);
    return parse(text);
  });
  return { decoder, fetched };
}

describe('golden OrderPlaced v1 events', () => {
  it('were written with the schema kept as version 1 in the history (history never changes)', () => {
    expect(canonicalSchema(orderPlaced.versions[0]!.text)).toBe(golden.writerSchema);
  });

  it.each(golden.cases.map((c) => [c.name, c] as const))(
    'decode with the v2 reader schema plus the upcaster: %s',
    async (_name, c) => {
      const { decoder } = decoderWith({ 11: golden.writerSchema });
      const decoded = await decoder.decode(encodeWire(11, Buffer.from(c.avro, 'hex')));
      expect(decoded).toMatchObject({
        type: 'kes.orders.OrderPlaced',
        schemaId: 11,
        writerVersion: 1,
        version: 2,
      });
      expect(decoded.value).toEqual(c.expected);
    },
  );

  it('get the currency from the Avro default and the total from the upcaster', async () => {
    const c = golden.cases[0]!;
    const withoutUpcasters = decoderWith({ 11: golden.writerSchema }, new Upcasters()).decoder;
    const resolvedOnly = await withoutUpcasters.decode(encodeWire(11, Buffer.from(c.avro, 'hex')));
    expect(resolvedOnly.value).toMatchObject({ currency: 'EUR', total: 0 });
    expect(c.expected.total).toBeGreaterThan(0);
  });
});

describe('golden CommandResult v1 results', () => {
  const v1 = JSON.parse(
    fs.readFileSync(path.join(import.meta.dirname, 'golden/CommandResult.v1.json'), 'utf8'),
  ) as Golden;
  const commandResult = catalog.get('kes.common.CommandResult')!;

  it('were written with the schema kept as version 1 in the history (history never changes)', () => {
    expect(canonicalSchema(commandResult.versions[0]!.text)).toBe(v1.writerSchema);
  });

  it.each(v1.cases.map((c) => [c.name, c] as const))(
    'decode with the v2 reader schema, ERROR read as the enum default FAILED: %s',
    async (_name, c) => {
      const { decoder } = decoderWith({ 21: v1.writerSchema });
      const decoded = await decoder.decode(encodeWire(21, Buffer.from(c.avro, 'hex')));
      expect(decoded).toMatchObject({ type: 'kes.common.CommandResult', writerVersion: 1, version: 2 });
      expect(decoded.value).toEqual(c.expected);
    },
  );
});

describe('RecordDecoder', () => {
  const current = orderPlaced.versions.at(-1)!.text;
  const v2Value = {
    orderId: 'o-9',
    customerId: 'c-1',
    customerName: 'Kim',
    items: [{ productId: 'p', quantity: 2, unitPrice: 150 }],
    placedAt: 1700000000000,
    currency: 'USD',
    total: 300,
  };

  it('decodes current values as they are, without upcasting', async () => {
    const { decoder } = decoderWith({ 12: current });
    const body = parse(current).toBuffer(v2Value);
    const decoded = await decoder.decode(encodeWire(12, body));
    expect(decoded).toMatchObject({ writerVersion: 2, version: 2 });
    expect(decoded.value).toEqual(v2Value);
  });

  it('builds one resolver per (writer id, reader schema), however many values', async () => {
    const { decoder } = decoderWith({ 11: golden.writerSchema, 12: current });
    const v1 = encodeWire(11, Buffer.from(golden.cases[0]!.avro, 'hex'));
    const v2 = encodeWire(12, parse(current).toBuffer(v2Value));
    for (let i = 0; i < 50; i++) {
      await decoder.decode(v1);
      await decoder.decode(v2);
    }
    expect(decoder.resolversBuilt).toBe(2);
  });

  it('reads a writer schema the catalog lacks by resolution alone (unknown version, no upcaster)', async () => {
    const newer = JSON.parse(current) as { fields: object[] };
    newer.fields.push({ name: 'note', type: 'string', default: '' });
    const text = JSON.stringify(newer);
    const { decoder } = decoderWith({ 13: text });
    const decoded = await decoder.decode(
      encodeWire(13, parse(text).toBuffer({ ...v2Value, note: 'fragile' })),
    );
    expect(decoded.writerVersion).toBeUndefined();
    expect(decoded.value).toEqual(v2Value);
  });

  it('refuses a record type the catalog does not know', async () => {
    const text = JSON.stringify({ type: 'record', name: 'kes.x.Unknown', fields: [] });
    const { decoder } = decoderWith({ 14: text });
    await expect(decoder.decode(encodeWire(14, Buffer.alloc(0)))).rejects.toThrow(UnknownRecordTypeError);
  });
});
