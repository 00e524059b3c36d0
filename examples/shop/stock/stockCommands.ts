import type { DomainRecord, ListsEvery } from '../../../src/index.js';

// Fields as in schemas/stock/<Type>.avsc (the schema test checks them).

/** Add a product to the catalogue with its opening stock (zero or more). */
export type AddProduct = DomainRecord<
  'AddProduct',
  { readonly productId: string; readonly name: string; readonly initialStock: number }
>;

/** Units of a product arrived. */
export type IncreaseStock = DomainRecord<
  'IncreaseStock',
  { readonly productId: string; readonly quantity: number }
>;

/** Units of a product left the stock outside any order (damaged, lost, counted wrong). */
export type DecreaseStock = DomainRecord<
  'DecreaseStock',
  { readonly productId: string; readonly quantity: number }
>;

/** Set units aside for one line of an order (sent by the order fulfilment saga). */
export type ReserveStock = DomainRecord<
  'ReserveStock',
  {
    readonly productId: string;
    readonly quantity: number;
    readonly orderId: string;
    readonly lineNumber: number;
  }
>;

/** Give back the units reserved for one line of an order (sent by the order fulfilment saga). */
export type ReleaseStock = DomainRecord<
  'ReleaseStock',
  {
    readonly productId: string;
    readonly quantity: number;
    readonly orderId: string;
    readonly lineNumber: number;
  }
>;

export type StockCommand = AddProduct | IncreaseStock | DecreaseStock | ReserveStock | ReleaseStock;

export const STOCK_COMMAND_TYPES = [
  'AddProduct',
  'IncreaseStock',
  'DecreaseStock',
  'ReserveStock',
  'ReleaseStock',
] as const satisfies readonly StockCommand['type'][];

const _every: ListsEvery<StockCommand['type'], typeof STOCK_COMMAND_TYPES> = true;
