import type { ViewDefinition, ViewEvent } from '../../../src/index.js';
import { recordName } from '../../../src/index.js';
import { STOCK_EVENT_TYPES } from '../stock/stockEvents.js';

/** A product as the catalogue shows it: units available (in stock, not reserved) and reserved. */
export interface ProductRow {
  readonly productId: string;
  readonly name: string;
  readonly available: number;
  readonly reserved: number;
  /** The stock aggregate's version this row reflects. */
  readonly version: number;
  readonly updatedAt: string;
}

/** products: productId → name, available, reserved, version (from stock events). */
export const productsView: ViewDefinition<ProductRow> = {
  name: 'products',
  eventTypes: STOCK_EVENT_TYPES.map((t) => recordName('stock', t)),
  evolve(row, event) {
    const d = event.data as { productId: string; quantity: number; available: number };
    const at = { version: event.sequence, updatedAt: new Date(event.time).toISOString() };
    if (event.type === 'ProductAdded') {
      const { productId, name, initialStock } = event.data as {
        productId: string;
        name: string;
        initialStock: number;
      };
      return { productId, name, available: initialStock, reserved: row?.reserved ?? 0, ...at };
    }
    if (!row) return undefined;
    return { ...row, ...at, ...counts(row, event, d) };
  },
};

function counts(
  row: ProductRow,
  event: ViewEvent,
  d: { quantity: number; available: number },
): Pick<ProductRow, 'available' | 'reserved'> {
  switch (event.type) {
    case 'StockReserved':
      return { available: d.available, reserved: row.reserved + d.quantity };
    case 'StockReleased':
      return { available: d.available, reserved: row.reserved - d.quantity };
    case 'StockIncreased':
    case 'StockDecreased':
      return { available: d.available, reserved: row.reserved };
    default:
      return { available: row.available, reserved: row.reserved };
  }
}
