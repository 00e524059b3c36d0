import { describe, expect, it } from 'vitest';
import { decodeSchemasRecord, encodeSchemasRecord, type SchemasRecord } from './schemasRecords.js';

const text = (b: Buffer | null) => b?.toString('utf8') ?? null;

describe('_schemas records', () => {
  it('encodes keys byte for byte as Confluent does, so compaction keeps one record per key', () => {
    const schema = encodeSchemasRecord({
      keytype: 'SCHEMA',
      subject: 'orders.events-kes.orders.OrderPlaced',
      version: 2,
      value: {
        subject: 'orders.events-kes.orders.OrderPlaced',
        version: 2,
        id: 7,
        schema: '"string"',
        deleted: false,
      },
    });
    expect(text(schema.key)).toBe(
      '{"keytype":"SCHEMA","subject":"orders.events-kes.orders.OrderPlaced","version":2,"magic":1}',
    );
    expect(text(schema.value)).toBe(
      '{"subject":"orders.events-kes.orders.OrderPlaced","version":2,"id":7,"schema":"\\"string\\"","deleted":false}',
    );
    const config = encodeSchemasRecord({
      keytype: 'CONFIG',
      subject: 's',
      value: { compatibilityLevel: 'FULL' },
    });
    expect(text(config.key)).toBe('{"keytype":"CONFIG","subject":"s","magic":0}');
    expect(text(config.value)).toBe('{"compatibilityLevel":"FULL"}');
    const global = encodeSchemasRecord({ keytype: 'CONFIG', subject: null, value: null });
    expect(text(global.key)).toBe('{"keytype":"CONFIG","magic":0}');
    expect(global.value).toBeNull();
    const deleted = encodeSchemasRecord({
      keytype: 'DELETE_SUBJECT',
      subject: 's',
      value: { subject: 's', version: 3 },
    });
    expect(text(deleted.key)).toBe('{"keytype":"DELETE_SUBJECT","subject":"s","magic":0}');
    expect(text(deleted.value)).toBe('{"subject":"s","version":3}');
    expect(text(encodeSchemasRecord({ keytype: 'NOOP' }).key)).toBe('{"keytype":"NOOP","magic":0}');
  });

  it('decodes what it encodes', () => {
    const records: SchemasRecord[] = [
      {
        keytype: 'SCHEMA',
        subject: 's',
        version: 1,
        value: { subject: 's', version: 1, id: 1, schema: '"int"', deleted: true },
      },
      { keytype: 'SCHEMA', subject: 's', version: 1, value: null },
      { keytype: 'CONFIG', subject: 's', value: { compatibilityLevel: 'BACKWARD_TRANSITIVE' } },
      { keytype: 'CONFIG', subject: null, value: { compatibilityLevel: 'NONE' } },
      { keytype: 'DELETE_SUBJECT', subject: 's', value: { subject: 's', version: 4 } },
      { keytype: 'NOOP' },
    ];
    for (const record of records) {
      const { key, value } = encodeSchemasRecord(record);
      expect(decodeSchemasRecord(key, value)).toEqual(record);
    }
  });

  it("reads other writers' variants: a null global subject, extra fields, lower-case levels", () => {
    const b = (s: string) => Buffer.from(s);
    expect(
      decodeSchemasRecord(
        b('{"keytype":"CONFIG","subject":null,"magic":0}'),
        b('{"compatibilityLevel":"full"}'),
      ),
    ).toEqual({ keytype: 'CONFIG', subject: null, value: { compatibilityLevel: 'FULL' } });
    expect(
      decodeSchemasRecord(
        b('{"keytype":"SCHEMA","subject":"s","version":1,"magic":1}'),
        b('{"subject":"s","version":1,"id":3,"schema":"\\"int\\"","md5":"x","schemaType":"AVRO"}'),
      ),
    ).toEqual({
      keytype: 'SCHEMA',
      subject: 's',
      version: 1,
      value: { subject: 's', version: 1, id: 3, schema: '"int"', deleted: false },
    });
  });

  it('skips key types it ignores and records it cannot read', () => {
    const b = (s: string) => Buffer.from(s);
    expect(
      decodeSchemasRecord(b('{"keytype":"MODE","subject":"s","magic":0}'), b('{"mode":"READONLY"}')),
    ).toBeUndefined();
    expect(
      decodeSchemasRecord(b('{"keytype":"CLEAR_SUBJECT","subject":"s","magic":0}'), null),
    ).toBeUndefined();
    expect(decodeSchemasRecord(b('not json'), b('{}'))).toBeUndefined();
    expect(decodeSchemasRecord(null, b('{}'))).toBeUndefined();
    expect(
      decodeSchemasRecord(b('{"keytype":"SCHEMA","subject":"s","version":0,"magic":1}'), null),
    ).toBeUndefined();
    expect(
      decodeSchemasRecord(b('{"keytype":"SCHEMA","subject":"s","version":1,"magic":1}'), b('{"id":1}')),
    ).toBeUndefined();
    expect(
      decodeSchemasRecord(b('{"keytype":"CONFIG","magic":0}'), b('{"compatibilityLevel":"SIDEWAYS"}')),
    ).toBeUndefined();
  });
});
