/**
 * Where the fulfilment of an order stands:
 * - AWAITING_ORDER: nothing heard of the order yet;
 * - RESERVING: ReserveStock sent for every line, answers pending;
 * - CONFIRMING: every line reserved, ConfirmOrder sent;
 * - CONFIRMED / SHIPPED: the order says so;
 * - REJECTING: a line was refused, RejectOrder sent;
 * - REJECTED / CANCELLED: the order is closed.
 * In REJECTING, REJECTED and CANCELLED every reservation is released, also those that arrive late.
 */
export type FulfilmentPhase =
  | 'AWAITING_ORDER'
  | 'RESERVING'
  | 'CONFIRMING'
  | 'CONFIRMED'
  | 'REJECTING'
  | 'REJECTED'
  | 'CANCELLED'
  | 'SHIPPED';

/**
 * One line's reservation: PENDING (ReserveStock sent), RESERVED, REFUSED, RELEASING (ReleaseStock
 * sent) or RELEASED (StockReleased heard).
 */
export type LineReservation = 'PENDING' | 'RESERVED' | 'REFUSED' | 'RELEASING' | 'RELEASED';

export interface FulfilmentLine {
  readonly productId: string;
  readonly quantity: number;
  readonly reservation: LineReservation;
}

/** The saga's state for one order (plain JSON); `lines[n]` is line number n. */
export interface FulfilmentState {
  readonly orderId: string | null;
  readonly phase: FulfilmentPhase;
  readonly lines: readonly FulfilmentLine[];
}

export function initialFulfilmentState(): FulfilmentState {
  return { orderId: null, phase: 'AWAITING_ORDER', lines: [] };
}

/** Whether the order is or will be closed, so that what is reserved for it goes back. */
export function isReleasing(phase: FulfilmentPhase): boolean {
  return phase === 'REJECTING' || phase === 'REJECTED' || phase === 'CANCELLED';
}
