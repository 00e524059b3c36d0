import { describe, expect, it } from 'vitest';
import { canonicalSchema } from './canonicalSchema.js';

const canonical = (schema: unknown) => canonicalSchema(JSON.stringify(schema));

// Expected texts are what Java Avro's Schema.toString() prints for the same schemas.
describe('canonicalSchema (Java Avro Schema.toString form)', () => {
  it('orders keys as Java does and drops whitespace', () => {
    const text = `{
      "fields": [ { "doc": "the x", "type": "int", "name": "x", "default": 1 } ],
      "doc": "a record", "name": "R", "type": "record", "namespace": "a.b"
    }`;
    expect(canonicalSchema(text)).toBe(
      '{"type":"record","name":"R","namespace":"a.b","doc":"a record",' +
        '"fields":[{"name":"x","type":"int","doc":"the x","default":1}]}',
    );
  });

  it('collapses primitives without properties and keeps those with properties', () => {
    expect(canonical({ type: 'string' })).toBe('"string"');
    expect(canonical('long')).toBe('"long"');
    expect(canonical({ type: 'long', logicalType: 'timestamp-millis' })).toBe(
      '{"type":"long","logicalType":"timestamp-millis"}',
    );
    expect(canonical({ type: 'bytes', scale: 2, logicalType: 'decimal', precision: 9 })).toBe(
      '{"type":"bytes","scale":2,"logicalType":"decimal","precision":9}',
    );
  });

  it('writes nested names relative to the enclosing namespace, and a type once', () => {
    const schema = {
      type: 'record',
      name: 'Order',
      namespace: 'shop',
      fields: [
        { name: 'first', type: { type: 'record', name: 'Item', fields: [{ name: 'q', type: 'int' }] } },
        { name: 'second', type: 'Item' },
        { name: 'third', type: 'shop.Item' },
        { name: 'other', type: { type: 'fixed', name: 'Id', namespace: 'ids', size: 16 } },
        { name: 'again', type: 'ids.Id' },
        { name: 'bare', type: { type: 'enum', name: 'Bare', namespace: '', symbols: ['A'] } },
      ],
    };
    expect(canonical(schema)).toBe(
      '{"type":"record","name":"Order","namespace":"shop","fields":[' +
        '{"name":"first","type":{"type":"record","name":"Item","fields":[{"name":"q","type":"int"}]}},' +
        '{"name":"second","type":"Item"},{"name":"third","type":"Item"},' +
        '{"name":"other","type":{"type":"fixed","name":"Id","namespace":"ids","size":16}},' +
        '{"name":"again","type":"ids.Id"},' +
        '{"name":"bare","type":{"type":"enum","name":"Bare","namespace":"","symbols":["A"]}}]}',
    );
  });

  it('takes the namespace from a dotted name', () => {
    expect(canonical({ type: 'record', name: 'x.y.R', namespace: 'ignored', fields: [] })).toBe(
      '{"type":"record","name":"R","namespace":"x.y","fields":[]}',
    );
  });

  it('keeps doc, defaults, order, aliases, enum defaults and custom properties', () => {
    const schema = {
      aliases: ['Old'],
      type: 'record',
      name: 'R',
      'x-owner': 'team',
      fields: [
        {
          name: 'e',
          aliases: ['f'],
          order: 'descending',
          'x-pii': true,
          type: { symbols: ['A', 'B'], type: 'enum', default: 'A', name: 'E', doc: 'an enum' },
          default: 'B',
        },
        { name: 'o', type: ['null', 'string'], default: null, order: 'ascending' },
        { name: 'm', type: { type: 'map', values: { type: 'array', items: 'int' } } },
      ],
    };
    expect(canonical(schema)).toBe(
      '{"type":"record","name":"R","fields":[' +
        '{"name":"e","type":{"type":"enum","name":"E","doc":"an enum","symbols":["A","B"],"default":"A"},' +
        '"default":"B","order":"descending","aliases":["f"],"x-pii":true},' +
        '{"name":"o","type":["null","string"],"default":null},' +
        '{"name":"m","type":{"type":"map","values":{"type":"array","items":"int"}}}],' +
        '"x-owner":"team","aliases":["Old"]}',
    );
  });

  it('gives equal text to schemas that differ only in layout', () => {
    const a = '{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"string"}}]}';
    const b = '{ "name" : "R", "fields" : [ { "type" : "string", "name" : "a" } ], "type" : "record" }';
    expect(canonicalSchema(a)).toBe(canonicalSchema(b));
  });
});
