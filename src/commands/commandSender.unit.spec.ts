import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { describe, expect, it } from 'vitest';
import { deciders } from '../../examples/domainCatalog.js';
import { fulfilmentCommandId } from '../../examples/shop/fulfilment/fulfilmentCommands.js';
import { Serde } from '../serde/serde.js';
import { CommandInputError, CommandSender } from './commandSender.js';
import { AGGREGATE_ID_MAX_BYTES, commandIdProblem } from './idRules.js';
import { application } from '../../topology/application.js';

// The data is checked against the catalog's schema before anything is encoded, so a refused
// command never reaches the registry: the client points nowhere and is never called.
const serde = Serde.forApplication(application, new SchemaRegistry({ host: 'http://127.0.0.1:9' }));
const sender = new CommandSender(serde, Object.values(deciders));

const item = { productId: 'apple', quantity: 2, unitPrice: 150 };
const placeOrder = { orderId: 'O-1', customerId: 'C-1', customerName: 'Ada', items: [item] };

/** The CommandInputError preparing the command fails with. */
async function refusal(type: string, data: unknown, commandId?: string) {
  const error = await sender.prepare({ type, data, ...(commandId !== undefined ? { commandId } : {}) }).then(
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

describe('CommandSender, ids', () => {
  const account = { accountId: 'victim', ownerId: 'mallory', initialDeposit: 0, overdraftLimit: 0 };
  const transfer = { transferId: 'T-1', fromAccountId: 'alice', toAccountId: 'bob', amount: 1 };
  const longest = 'x'.repeat(AGGREGATE_ID_MAX_BYTES);

  it('refuses an aggregate id with a control character, naming its field', async () => {
    expect(await refusal('OpenAccount', { ...account, accountId: 'victim\u00001' })).toEqual({
      code: 'INVALID_ID',
      field: 'accountId',
      message: 'accountId: an aggregate id must not contain a control character (U+0000 at 6)',
    });
    // The field the id is read from, not another holding the same value.
    const same = { ownerId: 'v\u0007', accountId: 'v\u0007', initialDeposit: 0, overdraftLimit: 0 };
    expect(await refusal('OpenAccount', same)).toMatchObject({ code: 'INVALID_ID', field: 'accountId' });
  });

  it('refuses an aggregate id over 200 bytes, or empty', async () => {
    expect(await refusal('OpenAccount', { ...account, accountId: `${longest}x` })).toEqual({
      code: 'INVALID_ID',
      field: 'accountId',
      message: 'accountId: an aggregate id must be 1–200 bytes of UTF-8, not 201',
    });
    expect(await refusal('OpenAccount', { ...account, accountId: 'é'.repeat(101) })).toMatchObject({
      code: 'INVALID_ID',
      message: expect.stringMatching(/not 202$/),
    });
    expect(await refusal('AddProduct', { productId: '', name: 'X', initialStock: 1 })).toMatchObject({
      code: 'INVALID_ID',
      field: 'productId',
    });
  });

  it('refuses the ids a command leads to: a transfer’s accounts', async () => {
    expect(await refusal('RequestTransfer', { ...transfer, toAccountId: 'bob\u0000' })).toEqual({
      code: 'INVALID_ID',
      field: 'toAccountId',
      message: 'toAccountId: an aggregate id must not contain a control character (U+0000 at 3)',
    });
    expect(await refusal('RequestTransfer', { ...transfer, fromAccountId: `${longest}!` })).toMatchObject({
      code: 'INVALID_ID',
      field: 'fromAccountId',
    });
  });

  it('refuses the ids a command leads to: an order’s products, customer and invoice', async () => {
    const items = [item, { ...item, productId: 'pear\u009f' }];
    expect(await refusal('PlaceOrder', { ...placeOrder, items })).toMatchObject({
      code: 'INVALID_ID',
      field: 'items.1.productId',
    });
    expect(await refusal('PlaceOrder', { ...placeOrder, customerId: '' })).toMatchObject({
      code: 'INVALID_ID',
      field: 'customerId',
    });
    // Its own id fits; its invoice's, INV-<order id>, would not.
    expect(await refusal('PlaceOrder', { ...placeOrder, orderId: 'o'.repeat(197) })).toEqual({
      code: 'INVALID_ID',
      field: 'orderId',
      message: expect.stringMatching(/^orderId \(its invoice’s id, "INV-o+"\): .* not 201$/),
    });
  });

  it('refuses a command id over 256 bytes or with a control character', async () => {
    const data = { productId: 'apple', quantity: 1 };
    expect(await refusal('IncreaseStock', data, 'k'.repeat(257))).toEqual({
      code: 'INVALID_ID',
      field: 'commandId',
      message: 'commandId: a command id must be 1–256 bytes of UTF-8, not 257',
    });
    expect(await refusal('IncreaseStock', data, 'k\n')).toMatchObject({
      code: 'INVALID_ID',
      field: 'commandId',
    });
  });

  it('leaves room for the ids the sagas give their commands, after the longest aggregate id', () => {
    for (const id of [
      fulfilmentCommandId.release(longest, 9999),
      `${longest}/invoice`,
      `${longest}:refund`,
    ]) {
      expect(commandIdProblem(id), id).toBeUndefined();
    }
  });
});
