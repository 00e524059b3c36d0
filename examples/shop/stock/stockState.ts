/** Units set aside for one line of an order. */
export interface StockReservation {
  readonly orderId: string;
  readonly lineNumber: number;
  readonly quantity: number;
}

/** A product in the catalogue. `available + reserved` is the physical stock. */
export interface ProductStock {
  readonly status: 'ACTIVE';
  readonly productId: string;
  readonly name: string;
  /** Units in stock and not reserved; never negative. */
  readonly available: number;
  /** Units set aside for orders; the sum of the open reservations. */
  readonly reserved: number;
  /** The open reservations, keyed by `reservationKey(orderId, lineNumber)`. */
  readonly reservations: Readonly<Record<string, StockReservation>>;
}

/** The state of a stock aggregate: nothing before its ProductAdded. Plain JSON. */
export type StockState = { readonly status: 'UNKNOWN' } | ProductStock;

export function initialStockState(): StockState {
  return { status: 'UNKNOWN' };
}

/**
 * The key of a line's reservation: the order id, then `#` and the line number. The line number
 * has no `#`, so the key is unambiguous, and it is never a name such as `__proto__`.
 */
export function reservationKey(orderId: string, lineNumber: number): string {
  return `${orderId}#${lineNumber}`;
}

/** The open reservation of a line, if any. */
export function reservationOf(
  state: ProductStock,
  orderId: string,
  lineNumber: number,
): StockReservation | undefined {
  const key = reservationKey(orderId, lineNumber);
  return Object.hasOwn(state.reservations, key) ? state.reservations[key] : undefined;
}
