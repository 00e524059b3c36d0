import { defineErrorCatalog } from '../../../src/index.js';

/** Why an order command can be rejected. A rejected command appends nothing. */
export const ORDER_REJECTIONS = defineErrorCatalog('order rejections', {
  /** PlaceOrder of an order id that was placed before. */
  ORDER_ALREADY_EXISTS: 'the order already exists',
  /** ConfirmOrder, RejectOrder, CancelOrder or ShipOrder of an order never placed. */
  UNKNOWN_ORDER: 'no order with this id',
  /** PlaceOrder without an order id, a customer id, a customer name, or a line's product id. */
  INVALID_ORDER: 'the order lacks an id, its customer or a product',
  /** PlaceOrder without any line. */
  EMPTY_ORDER: 'an order needs at least one line',
  /** A line whose quantity is not a whole number of at least 1 unit. */
  INVALID_QUANTITY: 'a line must order at least 1 whole unit',
  /** A line whose unit price is not a whole number of cents from 0. */
  INVALID_PRICE: 'a unit price must be a whole number of cents, 0 or more',
  /** Two lines of the same product: each product has one line, with its whole quantity. */
  DUPLICATE_PRODUCT: 'a product appears on more than one line',
  /** A total beyond 2^53 - 1 cents, which no number carries exactly. */
  TOTAL_TOO_LARGE: 'the order total is too large',
  /** A command the order's status does not allow (e.g. ConfirmOrder of a cancelled order). */
  INVALID_ORDER_STATE: 'not allowed in the current status of the order',
  /** CancelOrder of a shipped order, or ShipOrder again with other shipping details. */
  ORDER_ALREADY_SHIPPED: 'the order has been shipped',
  /** CancelOrder of an order already cancelled or rejected. */
  ORDER_CLOSED: 'the order is already cancelled or rejected',
  /** ShipOrder without a carrier or a tracking code. */
  MISSING_SHIPPING_DETAILS: 'a shipment needs a carrier and a tracking code',
});

export type OrderRejectionCode = keyof typeof ORDER_REJECTIONS;
