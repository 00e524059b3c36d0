import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { describe, expect, it } from 'vitest';
import { deciders } from '../domain/domainCatalog.js';
import { Serde } from '../serde/serde.js';
import { CommandInputError, CommandSender } from './commandSender.js';

// The data is checked against the catalog's schema before anything is encoded, so a refused
// command never reaches the registry: the client points nowhere and is never called.
const serde = new Serde({ registry: new SchemaRegistry({ host: 'http://127.0.0.1:9' }) });
const sender = new CommandSender(serde, Object.values(deciders));

const item = { productId: 'apple', quantity: 2, unitPrice: 150 };
const placeOrder = { orderId: 'O-1', customerId: 'C-1', customerName: 'Ada', items: [item] };

/** The CommandInputError preparing the command fails with. */
async function refusal(type: string, data: unknown) {
  const error = await sender.prepare({ type, data }).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(CommandInputError);
  const { code, field, message } = error as CommandInputError;
  return { code, field, message };
}

describe('CommandSender', () => {
  it('finds the domain of a command type', () => {
    expect(sender.domainOf('PlaceOrder')).toBe('orders');
    expect(sender.domainOf('ReserveStock')).toBe('stock');
    expect(sender.domainOf('Nope')).toBeUndefined();
  });

  it('gives the current schema text of a command type', () => {
    expect(JSON.parse(sender.schemaText('PlaceOrder')!)).toMatchObject({
      name: 'PlaceOrder',
      namespace: 'kes.orders',
    });
    expect(sender.schemaText('Nope')).toBeUndefined();
  });

  it('refuses an unknown command type', async () => {
    expect(await refusal('Nope', {})).toMatchObject({ code: 'UNKNOWN_COMMAND', field: undefined });
  });

  it('refuses a field the command does not declare, naming it', async () => {
    expect(await refusal('PlaceOrder', { ...placeOrder, coupon: 'FREE' })).toMatchObject({
      code: 'INVALID_PAYLOAD',
      field: 'coupon',
      message: expect.stringMatching(/coupon: not a field of kes\.orders\.PlaceOrder/),
    });
  });

  it('refuses an undeclared field of a nested record, naming its path', async () => {
    const items = [item, { ...item, colour: 'red' }];
    expect(await refusal('PlaceOrder', { ...placeOrder, items })).toMatchObject({
      code: 'INVALID_PAYLOAD',
      field: 'items.1.colour',
    });
  });

  it('refuses a wrong type, naming the field and what it expected', async () => {
    expect(await refusal('AddProduct', { productId: 'apple', name: 'Apple', initialStock: 'ten' })).toEqual({
      code: 'INVALID_PAYLOAD',
      field: 'initialStock',
      message: 'initialStock: expected int, got "ten"',
    });
  });

  it('refuses a wrong type in a nested record, naming its path', async () => {
    const items = [{ ...item, quantity: 1.5 }];
    expect(await refusal('PlaceOrder', { ...placeOrder, items })).toMatchObject({
      code: 'INVALID_PAYLOAD',
      field: 'items.0.quantity',
    });
  });

  it('refuses a missing field, naming it', async () => {
    const { customerName: _, ...withoutName } = placeOrder;
    expect(await refusal('PlaceOrder', withoutName)).toMatchObject({
      code: 'INVALID_PAYLOAD',
      field: 'customerName',
      message: 'customerName: expected string, got nothing',
    });
  });

  it.each([[null], ['PlaceOrder'], [42]])('refuses data that is not an object: %j', async (data) => {
    expect(await refusal('PlaceOrder', data)).toMatchObject({
      code: 'INVALID_PAYLOAD',
      field: '(the command)',
    });
  });

  it('refuses an array of commands', async () => {
    // avsc reads the array as a record without fields, so the first field is named as missing.
    expect(await refusal('PlaceOrder', [placeOrder])).toMatchObject({ code: 'INVALID_PAYLOAD' });
  });
});
