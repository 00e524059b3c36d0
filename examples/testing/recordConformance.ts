import avsc from 'avsc';
import { expect } from 'vitest';
import type { DomainName } from '../../src/index.js';
import { type AvroRecordSchema, readRecordSchema, schemaTypes } from './avroRecordSchema.js';

/**
 * One full value of every record type of a domain, typed by its TypeScript type: an object literal
 * typed this way can have no field the type lacks and must have every field it declares, so its
 * keys are the type's fields.
 */
export type RecordSamples<R extends { type: string; data: unknown }> = {
  readonly [T in R['type']]: Extract<R, { type: T }>['data'];
};

/**
 * Checks a domain's TypeScript records against schemas/<domain>/: the same record types as the
 * .avsc files, the same field names for each (and for the
 * records nested in arrays), and every sample valid for its schema (so the field types agree too).
 */
export function expectRecordsMatchSchemas(
  domain: DomainName,
  commands: Readonly<Record<string, object>>,
  events: Readonly<Record<string, object>>,
): void {
  const types = [...Object.keys(commands), ...Object.keys(events)];
  expect([...types].sort(), `record types of ${domain}`).toStrictEqual(schemaTypes(domain));
  for (const [type, sample] of Object.entries({ ...commands, ...events })) {
    expectSampleMatchesSchema(readRecordSchema(domain, type), sample);
  }
}

function expectSampleMatchesSchema(schema: AvroRecordSchema, sample: object): void {
  expectSameFields(schema, sample, schema.name);
  const errors: string[] = [];
  const valid = avsc.Type.forSchema(schema as avsc.Schema).isValid(sample, {
    noUndeclaredFields: true,
    errorHook: (path, value) => errors.push(`${path.join('.')} = ${JSON.stringify(value)}`),
  });
  expect(errors, `${schema.name}: fields whose values its schema refuses`).toStrictEqual([]);
  expect(valid).toBe(true);
}

/** The field names of a record and, recursively, of the records in its array fields. */
function expectSameFields(schema: AvroRecordSchema, sample: object, where: string): void {
  expect(Object.keys(sample).sort(), `fields of ${where}`).toStrictEqual(
    schema.fields.map((field) => field.name).sort(),
  );
  for (const field of schema.fields) {
    const itemSchema = arrayItemRecord(field.type);
    const value: unknown = (sample as Record<string, unknown>)[field.name];
    if (!itemSchema || !Array.isArray(value)) continue;
    expect(value.length, `${where}.${field.name} sample has an item to check`).toBeGreaterThan(0);
    for (const item of value as object[]) expectSameFields(itemSchema, item, `${where}.${field.name}[]`);
  }
}

function arrayItemRecord(type: unknown): AvroRecordSchema | undefined {
  if (typeof type !== 'object' || type === null) return undefined;
  const { type: kind, items } = type as { type?: unknown; items?: unknown };
  if (kind !== 'array' || typeof items !== 'object' || items === null) return undefined;
  return (items as { type?: unknown }).type === 'record' ? (items as AvroRecordSchema) : undefined;
}

/** The symbols of an enum field of a record type, in their declared order. */
export function enumSymbols(schema: AvroRecordSchema, fieldName: string): readonly string[] {
  const field = schema.fields.find((f) => f.name === fieldName);
  const type = field?.type as { type?: string; symbols?: string[] } | undefined;
  if (type?.type !== 'enum' || !type.symbols) throw new Error(`${schema.name}.${fieldName} is not an enum`);
  return type.symbols;
}
