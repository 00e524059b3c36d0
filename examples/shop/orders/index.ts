export type {
  CancelOrder,
  ConfirmOrder,
  OrderCommand,
  OrderItem,
  PlaceOrder,
  RejectOrder,
  ShipOrder,
} from './orderCommands.js';
export { ORDER_COMMAND_TYPES } from './orderCommands.js';
export type {
  OrderCancelled,
  OrderConfirmed,
  OrderEvent,
  OrderPlaced,
  OrderRejected,
  OrderShipped,
} from './orderEvents.js';
export { ORDER_EVENT_TYPES } from './orderEvents.js';
export { initialOrderState, type Order, type OrderState, type OrderStatus } from './orderState.js';
export { ORDER_REJECTIONS, type OrderRejectionCode } from './orderRejections.js';
export { ORDER_CURRENCY, orderTotal } from './orderTotal.js';
export { validatePlaceOrder } from './validatePlaceOrder.js';
export { decideOrder } from './decideOrder.js';
export { evolveOrder } from './evolveOrder.js';
export { orderDecider } from './orderDecider.js';
