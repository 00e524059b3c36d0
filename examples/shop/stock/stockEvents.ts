import type { DomainRecord, ListsEvery } from '../../../src/index.js';

// Fields as in schemas/stock/<Type>.avsc (the schema test checks them). `available` is the number
// of units in stock and not reserved after the event, for readers; the state recomputes it.

export type ProductAdded = DomainRecord<
  'ProductAdded',
  { readonly productId: string; readonly name: string; readonly initialStock: number }
>;

export type StockIncreased = DomainRecord<
  'StockIncreased',
  { readonly productId: string; readonly quantity: number; readonly available: number }
>;

export type StockDecreased = DomainRecord<
  'StockDecreased',
  { readonly productId: string; readonly quantity: number; readonly available: number }
>;

export type StockReserved = DomainRecord<
  'StockReserved',
  {
    readonly productId: string;
    readonly quantity: number;
    readonly orderId: string;
    readonly lineNumber: number;
    readonly available: number;
  }
>;

/** The Avro enum kes.stock.ReservationRejectionReason, in its declared order. */
export const RESERVATION_REJECTION_REASONS = ['INSUFFICIENT_STOCK', 'UNKNOWN_PRODUCT', 'OTHER'] as const;
export type ReservationRejectionReason = (typeof RESERVATION_REJECTION_REASONS)[number];

export type StockReservationRejected = DomainRecord<
  'StockReservationRejected',
  {
    readonly productId: string;
    readonly requested: number;
    readonly orderId: string;
    readonly lineNumber: number;
    readonly available: number;
    readonly reason: ReservationRejectionReason;
  }
>;

export type StockReleased = DomainRecord<
  'StockReleased',
  {
    readonly productId: string;
    readonly quantity: number;
    readonly orderId: string;
    readonly lineNumber: number;
    readonly available: number;
  }
>;

export type StockEvent =
  ProductAdded | StockIncreased | StockDecreased | StockReserved | StockReservationRejected | StockReleased;

export const STOCK_EVENT_TYPES = [
  'ProductAdded',
  'StockIncreased',
  'StockDecreased',
  'StockReserved',
  'StockReservationRejected',
  'StockReleased',
] as const satisfies readonly StockEvent['type'][];

const _every: ListsEvery<StockEvent['type'], typeof STOCK_EVENT_TYPES> = true;
