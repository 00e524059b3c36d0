import { describe, expect, it } from 'vitest';
import { type Avro, formType, initialValue, namedTypes } from './avroForm';

const placeOrder: Avro = {
  type: 'record',
  name: 'PlaceOrder',
  namespace: 'kes.orders',
  fields: [
    { name: 'orderId', type: 'string' },
    { name: 'note', type: ['null', 'string'], default: null },
    { name: 'express', type: 'boolean', default: true },
    { name: 'channel', type: { type: 'enum', name: 'Channel', symbols: ['WEB', 'SHOP'] } },
    {
      name: 'items',
      type: {
        type: 'array',
        items: {
          type: 'record',
          name: 'OrderItem',
          fields: [
            { name: 'productId', type: 'string' },
            { name: 'quantity', type: 'int' },
            { name: 'unitPrice', type: 'long' },
          ],
        },
      },
    },
    { name: 'again', type: ['null', 'OrderItem'], default: null },
  ],
};

describe('the command form of an Avro schema', () => {
  const named = namedTypes(placeOrder);

  it('knows the named types by full and short name', () => {
    expect([...named.keys()].sort()).toEqual([
      'Channel',
      'OrderItem',
      'PlaceOrder',
      'kes.orders.Channel',
      'kes.orders.OrderItem',
      'kes.orders.PlaceOrder',
    ]);
  });

  it('describes each field for its editor', () => {
    const record = formType(placeOrder, named);
    if (record.kind !== 'record') throw new Error(record.kind);
    expect(record.fields.map((field) => formType(field.type, named).kind)).toEqual([
      'string',
      'nullable',
      'boolean',
      'enum',
      'array',
      'nullable',
    ]);
    expect(formType('long', named)).toEqual({ kind: 'number', integer: true });
    expect(formType('double', named)).toEqual({ kind: 'number', integer: false });
    expect(formType('OrderItem', named).kind).toBe('record');
    expect(formType(['string', 'int'], named).kind).toBe('union');
    expect(() => formType('Nowhere', named)).toThrow('unknown Avro type Nowhere');
  });

  it('starts from the defaults, else an empty value of each type', () => {
    expect(initialValue(placeOrder, named)).toEqual({
      orderId: '',
      note: null,
      express: true,
      channel: 'WEB',
      items: [],
      again: null,
    });
    expect(initialValue('OrderItem', named)).toEqual({ productId: '', quantity: 0, unitPrice: 0 });
  });
});
