import { defineErrorCatalog } from '../../../src/index.js';

/** Why a stock command can be rejected. A rejected command appends nothing. */
export const STOCK_REJECTIONS = defineErrorCatalog('stock rejections', {
  /** AddProduct of a product id that is already in the catalogue. */
  PRODUCT_ALREADY_EXISTS: 'the product already exists',
  /**
   * IncreaseStock, DecreaseStock or ReleaseStock of a product never added. (ReserveStock of one is
   * answered with StockReservationRejected, reason UNKNOWN_PRODUCT.)
   */
  UNKNOWN_PRODUCT: 'no product with this id',
  /** AddProduct without a product id or a name. */
  INVALID_PRODUCT: 'a product needs a non-empty id and name',
  /**
   * An IncreaseStock, DecreaseStock or ReleaseStock quantity that is not a whole number of units
   * from 1, or an AddProduct initial stock that is not one from 0. (ReserveStock is never rejected
   * for its quantity: the saga waits for its answer, so it gets StockReservationRejected, reason OTHER.)
   */
  INVALID_QUANTITY: 'the quantity must be a positive whole number of units',
  /** DecreaseStock of more units than are available (in stock and not reserved). */
  INSUFFICIENT_STOCK: 'not enough units available',
  /** Stock beyond 2,147,483,647 units, the most the events' int fields can carry. */
  STOCK_LIMIT_EXCEEDED: 'the stock would exceed the largest count an event can carry',
  /** ReserveStock or ReleaseStock without an order id, or with a line number that is not a whole number from 0. */
  INVALID_ORDER_LINE: 'the order line is not identified',
});

export type StockRejectionCode = keyof typeof STOCK_REJECTIONS;
