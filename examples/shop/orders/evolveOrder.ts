import type { OrderEvent } from './orderEvents.js';
import type { OrderState } from './orderState.js';

/**
 * Folds an order event into the state. Events other than OrderPlaced leave an order never placed
 * as it is: decideOrder never emits them for one.
 */
export function evolveOrder(state: OrderState, event: OrderEvent): OrderState {
  if (event.type === 'OrderPlaced') {
    const { orderId, customerId, customerName, items, placedAt, currency, total } = event.data;
    return {
      status: 'PLACED',
      orderId,
      customerId,
      customerName,
      items: items.map(({ productId, quantity, unitPrice }) => ({ productId, quantity, unitPrice })),
      total,
      currency,
      placedAt,
      confirmedAt: null,
      rejectedAt: null,
      cancelledAt: null,
      shippedAt: null,
      closingReason: null,
      carrier: null,
      trackingCode: null,
    };
  }
  if (state.status === 'NONE') return state;
  switch (event.type) {
    case 'OrderConfirmed':
      return { ...state, status: 'CONFIRMED', confirmedAt: event.data.confirmedAt };
    case 'OrderRejected':
      return {
        ...state,
        status: 'REJECTED',
        rejectedAt: event.data.rejectedAt,
        closingReason: event.data.reason,
      };
    case 'OrderCancelled':
      return {
        ...state,
        status: 'CANCELLED',
        cancelledAt: event.data.cancelledAt,
        closingReason: event.data.reason,
      };
    case 'OrderShipped': {
      const { carrier, trackingCode, shippedAt } = event.data;
      return { ...state, status: 'SHIPPED', shippedAt, carrier, trackingCode };
    }
  }
}
