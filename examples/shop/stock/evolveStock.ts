import type { StockEvent } from './stockEvents.js';
import { reservationKey, type StockState } from './stockState.js';

/**
 * Folds a stock event into the state. Counts are recomputed from the quantities (the events'
 * `available` is for readers). Events other than ProductAdded leave an unknown product as it is:
 * decideStock never emits them for one.
 */
export function evolveStock(state: StockState, event: StockEvent): StockState {
  if (event.type === 'ProductAdded') {
    const { productId, name, initialStock } = event.data;
    return { status: 'ACTIVE', productId, name, available: initialStock, reserved: 0, reservations: {} };
  }
  if (state.status === 'UNKNOWN') return state;
  switch (event.type) {
    case 'StockIncreased':
      return { ...state, available: state.available + event.data.quantity };
    case 'StockDecreased':
      return { ...state, available: state.available - event.data.quantity };
    case 'StockReserved': {
      const { orderId, lineNumber, quantity } = event.data;
      return {
        ...state,
        available: state.available - quantity,
        reserved: state.reserved + quantity,
        reservations: {
          ...state.reservations,
          [reservationKey(orderId, lineNumber)]: { orderId, lineNumber, quantity },
        },
      };
    }
    case 'StockReservationRejected':
      return state;
    case 'StockReleased': {
      const { orderId, lineNumber, quantity } = event.data;
      const key = reservationKey(orderId, lineNumber);
      const reservations = Object.fromEntries(
        Object.entries(state.reservations).filter(([other]) => other !== key),
      );
      return {
        ...state,
        available: state.available + quantity,
        reserved: state.reserved - quantity,
        reservations,
      };
    }
  }
}
