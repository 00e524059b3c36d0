import type { RoutedCommand } from '../../routedCommand.js';
import type { Saga } from '../../../src/index.js';
import { FULFILMENT_EVENT_TYPES, type FulfilmentEvent } from './fulfilmentEvent.js';
import { type FulfilmentState, initialFulfilmentState } from './fulfilmentState.js';
import { reactToFulfilment } from './reactToFulfilment.js';

/** The order fulfilment saga: one instance per order, keyed by order id. */
export const orderFulfilment: Saga<FulfilmentEvent, FulfilmentState, RoutedCommand> = {
  name: 'order-fulfilment',
  eventTypes: FULFILMENT_EVENT_TYPES,
  initialState: initialFulfilmentState,
  keyOf: (event) => event.data.orderId,
  react: reactToFulfilment,
};
