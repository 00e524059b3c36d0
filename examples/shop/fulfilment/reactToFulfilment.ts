import type { CommandContext } from '../../../src/index.js';
import type { RoutedCommand } from '../../routedCommand.js';
import type { Reaction } from '../../../src/index.js';
import type { StockReservationRejected, StockReserved } from '../stock/stockEvents.js';
import { confirmOrder, refusalReason, rejectOrder, releaseLine, reserveLine } from './fulfilmentCommands.js';
import type { FulfilmentEvent } from './fulfilmentEvent.js';
import {
  type FulfilmentLine,
  type FulfilmentPhase,
  type FulfilmentState,
  isReleasing,
  type LineReservation,
} from './fulfilmentState.js';

type FulfilmentReaction = Reaction<FulfilmentState, RoutedCommand>;

const nothing = (state: FulfilmentState): FulfilmentReaction => ({ state, commands: [] });

/**
 * The order fulfilment saga, for one order: reserve every line of a placed order, confirm it when
 * all are reserved, reject it when one is refused, and give back whatever is reserved for an order
 * that is rejected or cancelled, however late the reservation arrives. An event it has already
 * taken into account (a duplicate) changes nothing and sends nothing.
 */
export function reactToFulfilment(
  state: FulfilmentState,
  event: FulfilmentEvent,
  _context: CommandContext,
): FulfilmentReaction {
  switch (event.type) {
    case 'OrderPlaced':
      return placed(state, event.data);
    case 'StockReserved':
      return reserved(state, event);
    case 'StockReservationRejected':
      return refused(state, event);
    case 'StockReleased':
      return released(state, event.data.lineNumber, event.data.productId);
    case 'OrderConfirmed':
      return advance(state, ['RESERVING', 'CONFIRMING'], 'CONFIRMED');
    case 'OrderShipped':
      return advance(state, ['RESERVING', 'CONFIRMING', 'CONFIRMED'], 'SHIPPED');
    case 'OrderRejected':
      return close(state, 'REJECTED');
    case 'OrderCancelled':
      return close(state, 'CANCELLED');
  }
}

function placed(
  state: FulfilmentState,
  { orderId, items }: { orderId: string; items: readonly { productId: string; quantity: number }[] },
): FulfilmentReaction {
  if (state.phase !== 'AWAITING_ORDER') return nothing(state);
  const lines = items.map(({ productId, quantity }): FulfilmentLine => ({
    productId,
    quantity,
    reservation: 'PENDING',
  }));
  // An order always has lines; one without any would have nothing to wait for.
  if (lines.length === 0) {
    return { state: { orderId, phase: 'CONFIRMING', lines }, commands: [confirmOrder(orderId)] };
  }
  return {
    state: { orderId, phase: 'RESERVING', lines },
    commands: lines.map((line, lineNumber) => reserveLine(orderId, lineNumber, line)),
  };
}

/** The line an outcome is about, if it is one of this order's lines still awaiting `from`. */
function lineAt(
  state: FulfilmentState,
  lineNumber: number,
  productId: string,
  from: readonly LineReservation[],
): FulfilmentLine | undefined {
  const line = state.lines[lineNumber];
  return line && line.productId === productId && from.includes(line.reservation) ? line : undefined;
}

function withLine(state: FulfilmentState, lineNumber: number, reservation: LineReservation): FulfilmentState {
  return {
    ...state,
    lines: state.lines.map((line, n) => (n === lineNumber ? { ...line, reservation } : line)),
  };
}

function reserved(state: FulfilmentState, { data }: StockReserved): FulfilmentReaction {
  const { orderId, lineNumber, productId } = data;
  const line = lineAt(state, lineNumber, productId, ['PENDING']);
  if (!line) return nothing(state); // a repeat, or not a line of this order
  if (isReleasing(state.phase)) {
    return {
      state: withLine(state, lineNumber, 'RELEASING'),
      commands: [releaseLine(orderId, lineNumber, line)],
    };
  }
  const next = withLine(state, lineNumber, 'RESERVED');
  if (next.phase === 'RESERVING' && next.lines.every((l) => l.reservation === 'RESERVED')) {
    return { state: { ...next, phase: 'CONFIRMING' }, commands: [confirmOrder(orderId)] };
  }
  return nothing(next);
}

function refused(state: FulfilmentState, { data }: StockReservationRejected): FulfilmentReaction {
  const { orderId, lineNumber, productId } = data;
  if (!lineAt(state, lineNumber, productId, ['PENDING'])) return nothing(state);
  const next = withLine(state, lineNumber, 'REFUSED');
  if (next.phase !== 'RESERVING') return nothing(next); // already rejecting, or closed
  const { state: releasing, commands } = releaseReserved({ ...next, phase: 'REJECTING' });
  return { state: releasing, commands: [rejectOrder(orderId, refusalReason(data)), ...commands] };
}

function released(state: FulfilmentState, lineNumber: number, productId: string): FulfilmentReaction {
  if (!lineAt(state, lineNumber, productId, ['RESERVED', 'RELEASING'])) return nothing(state);
  return nothing(withLine(state, lineNumber, 'RELEASED'));
}

function advance(
  state: FulfilmentState,
  from: readonly FulfilmentPhase[],
  to: FulfilmentPhase,
): FulfilmentReaction {
  return from.includes(state.phase) ? nothing({ ...state, phase: to }) : nothing(state);
}

/** The order is rejected or cancelled: what is reserved goes back, now and whenever it arrives. */
function close(state: FulfilmentState, to: 'REJECTED' | 'CANCELLED'): FulfilmentReaction {
  if (state.phase === 'AWAITING_ORDER' || state.phase === 'REJECTED' || state.phase === 'CANCELLED') {
    return nothing(state);
  }
  return releaseReserved({ ...state, phase: to });
}

function releaseReserved(state: FulfilmentState): FulfilmentReaction {
  const { orderId } = state;
  const commands: RoutedCommand[] = [];
  const lines = state.lines.map((line, lineNumber) => {
    if (line.reservation !== 'RESERVED' || orderId === null) return line;
    commands.push(releaseLine(orderId, lineNumber, line));
    return { ...line, reservation: 'RELEASING' as const };
  });
  return { state: { ...state, lines }, commands };
}
