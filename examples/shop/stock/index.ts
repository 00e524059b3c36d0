export type {
  AddProduct,
  DecreaseStock,
  IncreaseStock,
  ReleaseStock,
  ReserveStock,
  StockCommand,
} from './stockCommands.js';
export { STOCK_COMMAND_TYPES } from './stockCommands.js';
export type {
  ProductAdded,
  ReservationRejectionReason,
  StockDecreased,
  StockEvent,
  StockIncreased,
  StockReleased,
  StockReservationRejected,
  StockReserved,
} from './stockEvents.js';
export { RESERVATION_REJECTION_REASONS, STOCK_EVENT_TYPES } from './stockEvents.js';
export {
  initialStockState,
  type ProductStock,
  reservationKey,
  reservationOf,
  type StockReservation,
  type StockState,
} from './stockState.js';
export { STOCK_REJECTIONS, type StockRejectionCode } from './stockRejections.js';
export { isUnitCount, MAX_UNITS } from './stockCounts.js';
export { decideStock } from './decideStock.js';
export { evolveStock } from './evolveStock.js';
export { stockDecider } from './stockDecider.js';
