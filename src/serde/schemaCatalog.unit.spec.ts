import { describe, expect, it } from 'vitest';
import { application } from '../../topology/application.js';
import { checkCompatibility } from '../registry/compatibility.js';
import { applicationCatalog } from './serde.js';
import { SchemaCatalog, type SchemaFile } from './schemaCatalog.js';

const catalog = applicationCatalog(application);

type Json = { [key: string]: unknown };

/** Every record schema inside a schema, nested ones included. */
function records(schema: unknown, out: Json[] = []): Json[] {
  if (Array.isArray(schema)) for (const s of schema) records(s, out);
  else if (schema && typeof schema === 'object') {
    const s = schema as Json;
    if (s.type === 'record') {
      out.push(s);
      for (const f of s.fields as Json[]) records(f.type, out);
    } else if (s.type === 'array') records(s.items, out);
    else if (s.type === 'map') records(s.values, out);
    else if (typeof s.type === 'object') records(s.type, out);
  }
  return out;
}

describe("the project's schemas", () => {
  it('have a subject per record type and topic: <topic>-<namespace.Name>', () => {
    const subjects = catalog.subjects().map((s) => s.subject);
    expect(subjects).toContain('orders.events-kes.orders.OrderPlaced');
    expect(subjects).toContain('stock.commands-kes.stock.ReserveStock');
    expect(subjects).toContain('invoices.events-kes.invoices.InvoiceIssued');
    expect(subjects).toContain('kes.command-results-kes.common.CommandResult');
    expect(subjects).toContain('accounts.events-kes.accounts.TransferDebited');
    expect(subjects).toHaveLength(50);
  });

  it.each([
    ['stock.commands', ['AddProduct', 'IncreaseStock', 'DecreaseStock', 'ReserveStock', 'ReleaseStock']],
    [
      'stock.events',
      [
        'ProductAdded',
        'StockIncreased',
        'StockDecreased',
        'StockReserved',
        'StockReservationRejected',
        'StockReleased',
      ],
    ],
    ['orders.commands', ['PlaceOrder', 'ConfirmOrder', 'RejectOrder', 'CancelOrder', 'ShipOrder']],
    ['orders.events', ['OrderPlaced', 'OrderConfirmed', 'OrderRejected', 'OrderCancelled', 'OrderShipped']],
    ['invoices.commands', ['IssueInvoice']],
    ['invoices.events', ['InvoiceIssued']],
  ])('cover %s', (topic, names) => {
    const domain = topic.split('.')[0];
    const onTopic = catalog
      .subjects()
      .filter((s) => s.topic === topic)
      .map((s) => s.type.fullName);
    expect(onTopic.sort()).toEqual(names.map((n) => `kes.${domain}.${n}`).sort());
  });

  it('carry the fields the commands are sent with', () => {
    const fields = (name: string) =>
      (JSON.parse(catalog.get(name)!.versions.at(-1)!.text) as { fields: { name: string }[] }).fields.map(
        (f) => f.name,
      );
    expect(fields('kes.stock.AddProduct')).toEqual(['productId', 'name', 'initialStock']);
    expect(fields('kes.stock.IncreaseStock')).toEqual(['productId', 'quantity']);
    expect(fields('kes.stock.DecreaseStock')).toEqual(['productId', 'quantity']);
    expect(fields('kes.orders.PlaceOrder')).toEqual(['orderId', 'customerId', 'customerName', 'items']);
    expect(fields('kes.orders.CancelOrder')).toEqual(['orderId', 'reason']);
    expect(fields('kes.orders.ShipOrder')).toEqual(['orderId', 'carrier', 'trackingCode']);
    expect(fields('kes.stock.ReserveStock')).toEqual(expect.arrayContaining(['orderId', 'lineNumber']));
  });

  it('document every record and field', () => {
    const undocumented: string[] = [];
    for (const type of catalog.recordTypes()) {
      for (const version of type.versions) {
        for (const record of records(JSON.parse(version.text))) {
          if (typeof record.doc !== 'string') undocumented.push(`${version.path}: ${String(record.name)}`);
          for (const field of record.fields as Json[]) {
            if (typeof field.doc !== 'string')
              undocumented.push(`${version.path}: ${String(record.name)}.${String(field.name)}`);
          }
        }
      }
    }
    expect(undocumented).toEqual([]);
  });

  it('write optional fields as ["null", T] with default null', () => {
    const wrong: string[] = [];
    for (const type of catalog.recordTypes()) {
      for (const record of records(JSON.parse(type.versions.at(-1)!.text))) {
        for (const field of record.fields as Json[]) {
          if (Array.isArray(field.type) && (field.type[0] !== 'null' || field.default !== null)) {
            wrong.push(`${type.fullName}.${String(field.name)}`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('keep OrderPlaced version 1 in the history, version 2 current', () => {
    const orderPlaced = catalog.get('kes.orders.OrderPlaced')!;
    expect(orderPlaced.versions.map((v) => [v.version, v.path])).toEqual([
      [1, 'orders/history/OrderPlaced.v1.avsc'],
      [2, 'orders/OrderPlaced.avsc'],
    ]);
  });

  it('keep CommandResult version 1 (status ERROR) in the history, and version 2 (FAILED) reads it', () => {
    const commandResult = catalog.get('kes.common.CommandResult')!;
    expect(commandResult.versions.map((v) => [v.version, v.path])).toEqual([
      [1, 'common/history/CommandResult.v1.avsc'],
      [2, 'common/CommandResult.avsc'],
    ]);
    const [v1, v2] = commandResult.versions.map((v) => v.text) as [string, string];
    expect(checkCompatibility('BACKWARD_TRANSITIVE', v2, [{ version: 1, schema: v1 }])).toEqual([]);
    // Version 1 cannot read FAILED: it has no default.
    expect(checkCompatibility('FORWARD', v2, [{ version: 1, schema: v1 }])).not.toEqual([]);
  });
});

describe('SchemaCatalog.fromFiles', () => {
  const schema = (name: string) => JSON.stringify({ type: 'record', name, doc: 'd', fields: [] });
  const files = (...extra: SchemaFile[]): SchemaFile[] => [
    { path: 'topics.json', text: '{"things.events": ["kes.things.Made"]}' },
    { path: 'things/Made.avsc', text: schema('kes.things.Made') },
    ...extra,
  ];

  it('builds subjects from topics.json and the files', () => {
    const built = SchemaCatalog.fromFiles(files());
    expect(built.subjects().map((s) => s.subject)).toEqual(['things.events-kes.things.Made']);
  });

  it.each([
    [
      'a name that does not match the path',
      [{ path: 'things/Other.avsc', text: schema('kes.things.Made') }],
      'defines kes.things.Made, expected kes.things.Other',
    ],
    [
      'a schema that does not parse',
      [{ path: 'things/Bad.avsc', text: '{"type":"record"}' }],
      'things/Bad.avsc: missing name',
    ],
    [
      'a type on no topic',
      [{ path: 'things/Lost.avsc', text: schema('kes.things.Lost') }],
      'kes.things.Lost is on no topic',
    ],
    [
      'history without a current schema',
      [{ path: 'things/history/Old.v1.avsc', text: schema('kes.things.Old') }],
      'no current schema for kes.things.Old',
    ],
    [
      'a gap in the history',
      [{ path: 'things/history/Made.v2.avsc', text: schema('kes.things.Made') }],
      'history of kes.things.Made must be v1 to v1',
    ],
    [
      'a file elsewhere',
      [{ path: 'Made.avsc', text: schema('kes.things.Made') }],
      'expected <dir>/<Name>.avsc',
    ],
  ])('refuses %s', (_name, extra, message) => {
    expect(() => SchemaCatalog.fromFiles(files(...extra))).toThrow(message);
  });

  it('refuses names in topics.json without a schema', () => {
    expect(() =>
      SchemaCatalog.fromFiles([{ path: 'topics.json', text: '{"t": ["kes.x.Missing"]}' }]),
    ).toThrow('topics.json names kes.x.Missing, which has no schema file');
  });
});
