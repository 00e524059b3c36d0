export { FULFILMENT_EVENT_TYPES, type FulfilmentEvent } from './fulfilmentEvent.js';
export {
  type FulfilmentLine,
  type FulfilmentPhase,
  type FulfilmentState,
  initialFulfilmentState,
  isReleasing,
  type LineReservation,
} from './fulfilmentState.js';
export {
  confirmOrder,
  fulfilmentCommandId,
  refusalReason,
  rejectOrder,
  releaseLine,
  reserveLine,
} from './fulfilmentCommands.js';
export { reactToFulfilment } from './reactToFulfilment.js';
export { orderFulfilment } from './orderFulfilment.js';
