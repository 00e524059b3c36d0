import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMAS_DIR } from '../../examples/testing/avroRecordSchema.js';
import { avroJsonSchema, type JsonSchema } from './avroJsonSchema.js';

const avsc = (file: string) =>
  JSON.parse(fs.readFileSync(path.join(SCHEMAS_DIR, file), 'utf8')) as Parameters<typeof avroJsonSchema>[0];

const INT = { type: 'integer', minimum: -(2 ** 31), maximum: 2 ** 31 - 1 };

describe('avroJsonSchema of PlaceOrder', () => {
  const schema = avroJsonSchema(avsc('orders/PlaceOrder.avsc'));
  const properties = schema.properties as Record<string, JsonSchema>;

  it('is an object of exactly the command’s fields, every one required', () => {
    expect(schema).toMatchObject({ type: 'object', additionalProperties: false });
    expect(schema.description).toMatch(/^Command: a customer orders products/);
    expect(Object.keys(properties)).toEqual(['orderId', 'customerId', 'customerName', 'items']);
    expect(schema.required).toEqual(['orderId', 'customerId', 'customerName', 'items']);
    expect(properties.orderId).toEqual({
      type: 'string',
      description: 'Id of the new order; the aggregate id.',
    });
  });

  it('describes the items as an array of OrderItem objects, closed and all fields required', () => {
    const items = properties.items!;
    expect(items).toMatchObject({ type: 'array', description: expect.stringMatching(/^The lines/) });
    expect(items.items).toStrictEqual({
      type: 'object',
      description: 'One line of an order.',
      properties: {
        productId: { type: 'string', description: 'The product ordered.' },
        quantity: { ...INT, description: 'Units ordered; at least 1.' },
        unitPrice: {
          type: 'integer',
          description: 'Price of one unit in cents (minor units of the currency).',
        },
      },
      required: ['productId', 'quantity', 'unitPrice'],
      additionalProperties: false,
    });
  });
});

describe('avroJsonSchema of CommandResult', () => {
  const schema = avroJsonSchema(avsc('common/CommandResult.avsc'));
  const properties = schema.properties as Record<string, JsonSchema>;

  it('makes a union with null nullable, and a field with a default optional', () => {
    expect(properties.version).toMatchObject({ type: 'integer', nullable: true });
    expect(properties.position).toMatchObject({
      type: 'object',
      nullable: true,
      required: ['topic', 'partition', 'offset'],
      additionalProperties: false,
    });
    expect(schema.required).toEqual(['commandId', 'commandType', 'aggregateId', 'status', 'processedAt']);
  });

  it('makes an enum a string of its symbols, and a logical type its underlying type', () => {
    expect(properties.status).toMatchObject({
      type: 'string',
      enum: ['ACCEPTED', 'REJECTED', 'CONFLICT', 'FAILED'],
    });
    expect(properties.processedAt).toEqual({
      type: 'integer',
      description: 'When the command was processed.',
    });
  });
});

describe('avroJsonSchema', () => {
  it('maps the primitives', () => {
    expect(avroJsonSchema('string')).toEqual({ type: 'string' });
    expect(avroJsonSchema('boolean')).toEqual({ type: 'boolean' });
    expect(avroJsonSchema('int')).toEqual(INT);
    expect(avroJsonSchema('long')).toEqual({ type: 'integer' });
    expect(avroJsonSchema('double')).toEqual({ type: 'number' });
    expect(avroJsonSchema('null')).toEqual({ type: 'null' });
  });

  it('makes a union of several types a oneOf, nullable when it has null', () => {
    expect(avroJsonSchema(['null', 'string', 'long'])).toEqual({
      oneOf: [{ type: 'string' }, { type: 'integer' }],
      nullable: true,
    });
    expect(avroJsonSchema(['string', 'long'])).toEqual({ oneOf: [{ type: 'string' }, { type: 'integer' }] });
  });

  it('makes a map an object of its values', () => {
    expect(avroJsonSchema({ type: 'map', values: 'int' })).toEqual({
      type: 'object',
      additionalProperties: INT,
    });
  });

  it('resolves a named type used again, by short or full name', () => {
    const schema = avroJsonSchema({
      type: 'record',
      name: 'Pair',
      namespace: 'kes.test',
      fields: [
        {
          name: 'first',
          type: { type: 'record', name: 'Point', fields: [{ name: 'x', type: 'int' }] },
        },
        { name: 'second', type: ['null', 'kes.test.Point'], default: null },
        { name: 'third', type: 'Point' },
      ],
    });
    const properties = schema.properties as Record<string, JsonSchema>;
    expect(properties.second).toMatchObject({ type: 'object', nullable: true, required: ['x'] });
    expect(properties.third).toEqual(properties.first);
    expect(schema.required).toEqual(['first', 'third']);
  });

  it('refuses a type it does not know', () => {
    expect(() => avroJsonSchema('kes.test.Nowhere')).toThrow(/unknown Avro type kes.test.Nowhere/);
  });
});
