import { describe, expect, it } from 'vitest';
import type { ViewEvent } from '../../../src/index.js';
import { deepFreeze } from '../../../src/testing/index.js';
import type { StockEvent } from '../stock/stockEvents.js';
import { type ProductRow, productsView } from './productsView.js';

const T0 = Date.UTC(2025, 0, 15, 9, 30);
const productId = 'P-1';

/** A stock event of P-1 as the view reads it: version `sequence`, `sequence` minutes after T0. */
const at = (sequence: number, event: StockEvent): ViewEvent =>
  deepFreeze({
    domain: 'stock',
    type: event.type,
    aggregateId: productId,
    sequence,
    time: T0 + sequence * 60_000,
    data: event.data,
  });

const added = (initialStock: number): StockEvent => ({
  type: 'ProductAdded',
  data: { productId, name: 'Kettle', initialStock },
});
const line = { productId, orderId: 'O-1', lineNumber: 0 };

/** The row after the events, in order, each folded into the previous row. */
const fold = (events: readonly ViewEvent[], row?: ProductRow) =>
  events.reduce<ProductRow | undefined>((r, e) => productsView.evolve(r && deepFreeze(r), e), row);

const isoAt = (sequence: number) => new Date(T0 + sequence * 60_000).toISOString();

describe('products view', () => {
  it('reads every stock event type, keyed by product id, every row visible', () => {
    expect([...productsView.eventTypes].sort()).toEqual(
      [
        'kes.stock.ProductAdded',
        'kes.stock.StockDecreased',
        'kes.stock.StockIncreased',
        'kes.stock.StockReleased',
        'kes.stock.StockReservationRejected',
        'kes.stock.StockReserved',
      ].sort(),
    );
    expect(productsView.keyOf).toBeUndefined(); // the aggregate id
    expect(productsView.isVisible).toBeUndefined();
  });

  it('ProductAdded creates the row with its opening stock', () => {
    expect(fold([at(1, added(5))])).toStrictEqual({
      productId,
      name: 'Kettle',
      available: 5,
      reserved: 0,
      version: 1,
      updatedAt: isoAt(1),
    });
  });

  it('StockIncreased and StockDecreased set the units available, the reserved units unchanged', () => {
    const row = fold([
      at(1, added(5)),
      at(2, { type: 'StockIncreased', data: { productId, quantity: 3, available: 8 } }),
    ]);
    expect(row).toMatchObject({ available: 8, reserved: 0, version: 2, updatedAt: isoAt(2) });
    expect(
      fold([at(3, { type: 'StockDecreased', data: { productId, quantity: 6, available: 2 } })], row),
    ).toMatchObject({ available: 2, reserved: 0, version: 3, updatedAt: isoAt(3) });
  });

  it('StockReserved moves units from available to reserved; StockReleased moves them back', () => {
    const reserved = fold([
      at(1, added(5)),
      at(2, { type: 'StockReserved', data: { ...line, quantity: 2, available: 3 } }),
      at(3, { type: 'StockReserved', data: { ...line, lineNumber: 1, quantity: 1, available: 2 } }),
    ]);
    expect(reserved).toMatchObject({ available: 2, reserved: 3, version: 3 });
    expect(
      fold([at(4, { type: 'StockReleased', data: { ...line, quantity: 2, available: 4 } })], reserved),
    ).toMatchObject({ available: 4, reserved: 1, version: 4, updatedAt: isoAt(4) });
  });

  it('StockReservationRejected changes no count, only the version', () => {
    const row = fold([
      at(1, added(1)),
      at(2, {
        type: 'StockReservationRejected',
        data: { ...line, requested: 5, available: 1, reason: 'INSUFFICIENT_STOCK' },
      }),
    ]);
    expect(row).toStrictEqual({
      productId,
      name: 'Kettle',
      available: 1,
      reserved: 0,
      version: 2,
      updatedAt: isoAt(2),
    });
  });

  it('makes no row from an event read before the product’s ProductAdded', () => {
    expect(
      fold([at(2, { type: 'StockIncreased', data: { productId, quantity: 3, available: 3 } })]),
    ).toBeUndefined();
  });

  it('does not change the row it is given (evolve is pure)', () => {
    const row = deepFreeze(fold([at(1, added(5))])!);
    const copy = structuredClone(row);
    productsView.evolve(row, at(2, { type: 'StockReserved', data: { ...line, quantity: 2, available: 3 } }));
    expect(row).toStrictEqual(copy);
  });
});
