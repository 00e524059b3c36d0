import type { DomainRecord, ListsEvery } from '../../../src/index.js';

// Fields as in schemas/orders/<Type>.avsc (the schema test checks them).

/** One line of an order (the Avro record kes.orders.OrderItem); its line number is its position, from 0. */
export interface OrderItem {
  readonly productId: string;
  /** Units ordered; at least 1. */
  readonly quantity: number;
  /** Price of one unit in cents. */
  readonly unitPrice: number;
}

/** A customer orders products. */
export type PlaceOrder = DomainRecord<
  'PlaceOrder',
  {
    readonly orderId: string;
    readonly customerId: string;
    readonly customerName: string;
    readonly items: readonly OrderItem[];
  }
>;

/** Every line is reserved (sent by the order fulfilment saga). */
export type ConfirmOrder = DomainRecord<'ConfirmOrder', { readonly orderId: string }>;

/** A line could not be reserved (sent by the order fulfilment saga). */
export type RejectOrder = DomainRecord<'RejectOrder', { readonly orderId: string; readonly reason: string }>;

/** The customer cancels the order. */
export type CancelOrder = DomainRecord<'CancelOrder', { readonly orderId: string; readonly reason: string }>;

/** The confirmed order was handed to a carrier. */
export type ShipOrder = DomainRecord<
  'ShipOrder',
  { readonly orderId: string; readonly carrier: string; readonly trackingCode: string }
>;

export type OrderCommand = PlaceOrder | ConfirmOrder | RejectOrder | CancelOrder | ShipOrder;

export const ORDER_COMMAND_TYPES = [
  'PlaceOrder',
  'ConfirmOrder',
  'RejectOrder',
  'CancelOrder',
  'ShipOrder',
] as const satisfies readonly OrderCommand['type'][];

const _every: ListsEvery<OrderCommand['type'], typeof ORDER_COMMAND_TYPES> = true;
