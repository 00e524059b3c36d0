import type { DomainRecord, ListsEvery } from '../../../src/index.js';
import type { OrderItem } from './orderCommands.js';

// Fields as in schemas/orders/<Type>.avsc (the schema test checks them). Times are epoch ms.

/** Status PLACED: awaits the reservation of every line. */
export type OrderPlaced = DomainRecord<
  'OrderPlaced',
  {
    readonly orderId: string;
    readonly customerId: string;
    readonly customerName: string;
    readonly items: readonly OrderItem[];
    readonly placedAt: number;
    /** ISO 4217 code of the prices and the total. */
    readonly currency: string;
    /** Σ quantity × unitPrice, in cents. */
    readonly total: number;
  }
>;

/** Status CONFIRMED. Carries what the invoice needs, so the invoicing policy reads nothing else. */
export type OrderConfirmed = DomainRecord<
  'OrderConfirmed',
  {
    readonly orderId: string;
    readonly confirmedAt: number;
    readonly total: number;
    readonly currency: string;
  }
>;

/** Status REJECTED. */
export type OrderRejected = DomainRecord<
  'OrderRejected',
  { readonly orderId: string; readonly reason: string; readonly rejectedAt: number }
>;

/** Status CANCELLED. */
export type OrderCancelled = DomainRecord<
  'OrderCancelled',
  { readonly orderId: string; readonly reason: string; readonly cancelledAt: number }
>;

/** Status SHIPPED. */
export type OrderShipped = DomainRecord<
  'OrderShipped',
  {
    readonly orderId: string;
    readonly carrier: string;
    readonly trackingCode: string;
    readonly shippedAt: number;
  }
>;

export type OrderEvent = OrderPlaced | OrderConfirmed | OrderRejected | OrderCancelled | OrderShipped;

export const ORDER_EVENT_TYPES = [
  'OrderPlaced',
  'OrderConfirmed',
  'OrderRejected',
  'OrderCancelled',
  'OrderShipped',
] as const satisfies readonly OrderEvent['type'][];

const _every: ListsEvery<OrderEvent['type'], typeof ORDER_EVENT_TYPES> = true;
