import { accept, type CommandContext, type Decision, reject } from '../../../src/index.js';
import type { CancelOrder, ConfirmOrder, OrderCommand, RejectOrder, ShipOrder } from './orderCommands.js';
import type { OrderEvent } from './orderEvents.js';
import type { OrderRejectionCode } from './orderRejections.js';
import type { Order, OrderState } from './orderState.js';
import { ORDER_CURRENCY, orderTotal } from './orderTotal.js';
import { validatePlaceOrder } from './validatePlaceOrder.js';

type OrderDecision = Decision<OrderEvent>;

const rejected = (code: OrderRejectionCode, message: string) => reject(code, message);

/** Decides an order command against the order's state; events are stamped with `context.now`. */
export function decideOrder(
  command: OrderCommand,
  state: OrderState,
  { now }: CommandContext,
): OrderDecision {
  if (command.type === 'PlaceOrder') {
    if (state.status !== 'NONE') {
      return rejected('ORDER_ALREADY_EXISTS', `order ${command.data.orderId} already exists`);
    }
    const invalid = validatePlaceOrder(command);
    if (invalid) return invalid;
    const { orderId, customerId, customerName, items } = command.data;
    return accept({
      type: 'OrderPlaced',
      data: {
        orderId,
        customerId,
        customerName,
        items: items.map(({ productId, quantity, unitPrice }) => ({ productId, quantity, unitPrice })),
        placedAt: now,
        currency: ORDER_CURRENCY,
        total: orderTotal(items),
      },
    });
  }
  if (state.status === 'NONE') {
    return rejected('UNKNOWN_ORDER', `order ${command.data.orderId} does not exist`);
  }
  switch (command.type) {
    case 'ConfirmOrder':
      return confirm(command, state, now);
    case 'RejectOrder':
      return rejectOrder(command, state, now);
    case 'CancelOrder':
      return cancel(command, state, now);
    case 'ShipOrder':
      return ship(command, state, now);
  }
}

const notIn = (order: Order, action: string) =>
  rejected('INVALID_ORDER_STATE', `order ${order.orderId} is ${order.status}: it cannot be ${action}`);

/** Only a PLACED order is confirmed; confirming a CONFIRMED one again changes nothing. */
function confirm(_command: ConfirmOrder, order: Order, now: number): OrderDecision {
  if (order.status === 'CONFIRMED') return accept();
  if (order.status !== 'PLACED') return notIn(order, 'confirmed');
  const { orderId, total, currency } = order;
  return accept({ type: 'OrderConfirmed', data: { orderId, confirmedAt: now, total, currency } });
}

/** Only a PLACED order is rejected; rejecting a REJECTED one again changes nothing. */
function rejectOrder({ data: { reason } }: RejectOrder, order: Order, now: number): OrderDecision {
  if (order.status === 'REJECTED') return accept();
  if (order.status !== 'PLACED') return notIn(order, 'rejected');
  return accept({ type: 'OrderRejected', data: { orderId: order.orderId, reason, rejectedAt: now } });
}

/** A PLACED or CONFIRMED order can be cancelled; a shipped, cancelled or rejected one cannot. */
function cancel({ data: { reason } }: CancelOrder, order: Order, now: number): OrderDecision {
  switch (order.status) {
    case 'PLACED':
    case 'CONFIRMED':
      return accept({ type: 'OrderCancelled', data: { orderId: order.orderId, reason, cancelledAt: now } });
    case 'SHIPPED':
      return rejected('ORDER_ALREADY_SHIPPED', `order ${order.orderId} has been shipped`);
    case 'CANCELLED':
    case 'REJECTED':
      return rejected('ORDER_CLOSED', `order ${order.orderId} is already ${order.status}`);
  }
}

/**
 * Only a CONFIRMED order ships. Shipping it again with the same carrier and tracking code is a
 * repeat and changes nothing; with other details it is refused, as the parcel has already left.
 */
function ship({ data: { carrier, trackingCode } }: ShipOrder, order: Order, now: number): OrderDecision {
  if (carrier.trim() === '' || trackingCode.trim() === '') {
    return rejected('MISSING_SHIPPING_DETAILS', 'a shipment needs a carrier and a tracking code');
  }
  if (order.status === 'SHIPPED') {
    if (order.carrier === carrier && order.trackingCode === trackingCode) return accept();
    return rejected(
      'ORDER_ALREADY_SHIPPED',
      `order ${order.orderId} was shipped with ${order.carrier ?? '?'} (${order.trackingCode ?? '?'})`,
    );
  }
  if (order.status !== 'CONFIRMED') return notIn(order, 'shipped');
  return accept({
    type: 'OrderShipped',
    data: { orderId: order.orderId, carrier, trackingCode, shippedAt: now },
  });
}
