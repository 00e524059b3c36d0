import { describe, expect, it } from 'vitest';
import { readRecordSchema } from '../../testing/avroRecordSchema.js';
import {
  enumSymbols,
  expectRecordsMatchSchemas,
  type RecordSamples,
} from '../../testing/recordConformance.js';
import { STOCK_COMMAND_TYPES, type StockCommand } from './stockCommands.js';
import { RESERVATION_REJECTION_REASONS, STOCK_EVENT_TYPES, type StockEvent } from './stockEvents.js';

const line = { productId: 'P-1', quantity: 2, orderId: 'O-1', lineNumber: 0 };

const commands: RecordSamples<StockCommand> = {
  AddProduct: { productId: 'P-1', name: 'Kettle', initialStock: 5 },
  IncreaseStock: { productId: 'P-1', quantity: 3 },
  DecreaseStock: { productId: 'P-1', quantity: 1 },
  ReserveStock: line,
  ReleaseStock: line,
};

const events: RecordSamples<StockEvent> = {
  ProductAdded: { productId: 'P-1', name: 'Kettle', initialStock: 5 },
  StockIncreased: { productId: 'P-1', quantity: 3, available: 8 },
  StockDecreased: { productId: 'P-1', quantity: 1, available: 7 },
  StockReserved: { ...line, available: 5 },
  StockReservationRejected: {
    productId: 'P-1',
    requested: 9,
    orderId: 'O-2',
    lineNumber: 1,
    available: 5,
    reason: 'INSUFFICIENT_STOCK',
  },
  StockReleased: { ...line, available: 7 },
};

describe('stock records', () => {
  it('have the fields of their schemas', () => {
    expectRecordsMatchSchemas('stock', commands, events);
  });

  it('list their types in the order the decider does (the order of their topics)', () => {
    expect(Object.keys(commands)).toStrictEqual([...STOCK_COMMAND_TYPES]);
    expect(Object.keys(events)).toStrictEqual([...STOCK_EVENT_TYPES]);
  });

  it('name the reservation rejection reasons as the Avro enum does', () => {
    const schema = readRecordSchema('stock', 'StockReservationRejected');
    expect(enumSymbols(schema, 'reason')).toStrictEqual([...RESERVATION_REJECTION_REASONS]);
  });
});
