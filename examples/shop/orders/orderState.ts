import type { OrderItem } from './orderCommands.js';

export type OrderStatus = 'PLACED' | 'CONFIRMED' | 'REJECTED' | 'CANCELLED' | 'SHIPPED';

/** An order once placed. Times are epoch ms, null until the order gets there. */
export interface Order {
  readonly status: OrderStatus;
  readonly orderId: string;
  readonly customerId: string;
  readonly customerName: string;
  readonly items: readonly OrderItem[];
  /** In cents of `currency`. */
  readonly total: number;
  readonly currency: string;
  readonly placedAt: number;
  readonly confirmedAt: number | null;
  readonly rejectedAt: number | null;
  readonly cancelledAt: number | null;
  readonly shippedAt: number | null;
  /** Why the order was rejected or cancelled. */
  readonly closingReason: string | null;
  readonly carrier: string | null;
  readonly trackingCode: string | null;
}

/** The state of an order aggregate: nothing before its OrderPlaced. Plain JSON. */
export type OrderState = { readonly status: 'NONE' } | Order;

export function initialOrderState(): OrderState {
  return { status: 'NONE' };
}
