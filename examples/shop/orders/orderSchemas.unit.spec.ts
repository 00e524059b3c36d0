import { describe, expect, it } from 'vitest';
import { expectRecordsMatchSchemas, type RecordSamples } from '../../testing/recordConformance.js';
import { ORDER_COMMAND_TYPES, type OrderCommand } from './orderCommands.js';
import { ORDER_EVENT_TYPES, type OrderEvent } from './orderEvents.js';

const items = [{ productId: 'P-1', quantity: 2, unitPrice: 1250 }];

const commands: RecordSamples<OrderCommand> = {
  PlaceOrder: { orderId: 'O-1', customerId: 'C-1', customerName: 'Ada', items },
  ConfirmOrder: { orderId: 'O-1' },
  RejectOrder: { orderId: 'O-1', reason: 'out of stock' },
  CancelOrder: { orderId: 'O-1', reason: 'changed my mind' },
  ShipOrder: { orderId: 'O-1', carrier: 'PostNL', trackingCode: '3S123' },
};

const events: RecordSamples<OrderEvent> = {
  OrderPlaced: {
    orderId: 'O-1',
    customerId: 'C-1',
    customerName: 'Ada',
    items,
    placedAt: 1_700_000_000_000,
    currency: 'EUR',
    total: 2500,
  },
  OrderConfirmed: { orderId: 'O-1', confirmedAt: 1_700_000_000_001, total: 2500, currency: 'EUR' },
  OrderRejected: { orderId: 'O-1', reason: 'out of stock', rejectedAt: 1_700_000_000_001 },
  OrderCancelled: { orderId: 'O-1', reason: 'changed my mind', cancelledAt: 1_700_000_000_001 },
  OrderShipped: { orderId: 'O-1', carrier: 'PostNL', trackingCode: '3S123', shippedAt: 1_700_000_000_002 },
};

describe('order records', () => {
  it('have the fields of their schemas, order items included', () => {
    expectRecordsMatchSchemas('orders', commands, events);
  });

  it('list their types in the order the decider does (the order of their topics)', () => {
    expect(Object.keys(commands)).toStrictEqual([...ORDER_COMMAND_TYPES]);
    expect(Object.keys(events)).toStrictEqual([...ORDER_EVENT_TYPES]);
  });
});
