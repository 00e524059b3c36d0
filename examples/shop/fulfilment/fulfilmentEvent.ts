import type { ListsEvery } from '../../../src/index.js';
import type { OrderEvent } from '../orders/orderEvents.js';
import type { StockReleased, StockReservationRejected, StockReserved } from '../stock/stockEvents.js';

/**
 * What the order fulfilment saga hears: every order event (from orders.events) and the outcomes of
 * its stock reservations and releases (stock events re-keyed by order id).
 */
export type FulfilmentEvent = OrderEvent | StockReserved | StockReservationRejected | StockReleased;

export const FULFILMENT_EVENT_TYPES = [
  'OrderPlaced',
  'OrderConfirmed',
  'OrderRejected',
  'OrderCancelled',
  'OrderShipped',
  'StockReserved',
  'StockReservationRejected',
  'StockReleased',
] as const satisfies readonly FulfilmentEvent['type'][];

const _every: ListsEvery<FulfilmentEvent['type'], typeof FULFILMENT_EVENT_TYPES> = true;
