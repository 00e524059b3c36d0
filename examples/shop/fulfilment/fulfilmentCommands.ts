import type { RoutedCommand } from '../../routedCommand.js';
import type { ReservationRejectionReason } from '../stock/stockEvents.js';
import type { FulfilmentLine } from './fulfilmentState.js';

/**
 * The saga's command ids: the order id and what is asked of it, e.g. `O-1/reserve/0`. The saga
 * sends each of these at most once per order, and the same one again when it reprocesses the same
 * input, so the command handlers' idempotency by command id drops any repeat.
 */
export const fulfilmentCommandId = {
  reserve: (orderId: string, lineNumber: number) => `${orderId}/reserve/${lineNumber}`,
  release: (orderId: string, lineNumber: number) => `${orderId}/release/${lineNumber}`,
  confirm: (orderId: string) => `${orderId}/confirm`,
  reject: (orderId: string) => `${orderId}/reject`,
};

export function reserveLine(orderId: string, lineNumber: number, line: FulfilmentLine): RoutedCommand {
  const { productId, quantity } = line;
  return {
    domain: 'stock',
    aggregateId: productId,
    commandId: fulfilmentCommandId.reserve(orderId, lineNumber),
    command: { type: 'ReserveStock', data: { productId, quantity, orderId, lineNumber } },
  };
}

export function releaseLine(orderId: string, lineNumber: number, line: FulfilmentLine): RoutedCommand {
  const { productId, quantity } = line;
  return {
    domain: 'stock',
    aggregateId: productId,
    commandId: fulfilmentCommandId.release(orderId, lineNumber),
    command: { type: 'ReleaseStock', data: { productId, quantity, orderId, lineNumber } },
  };
}

export function confirmOrder(orderId: string): RoutedCommand {
  return {
    domain: 'orders',
    aggregateId: orderId,
    commandId: fulfilmentCommandId.confirm(orderId),
    command: { type: 'ConfirmOrder', data: { orderId } },
  };
}

export function rejectOrder(orderId: string, reason: string): RoutedCommand {
  return {
    domain: 'orders',
    aggregateId: orderId,
    commandId: fulfilmentCommandId.reject(orderId),
    command: { type: 'RejectOrder', data: { orderId, reason } },
  };
}

/** The customer-facing reason of a rejection: which line, which product, and why. */
export function refusalReason(refusal: {
  readonly productId: string;
  readonly requested: number;
  readonly lineNumber: number;
  readonly available: number;
  readonly reason: ReservationRejectionReason;
}): string {
  const { productId, requested, lineNumber, available, reason } = refusal;
  const what = `could not reserve ${requested} units of product ${productId} for line ${lineNumber}`;
  switch (reason) {
    case 'INSUFFICIENT_STOCK':
      return `${what}: INSUFFICIENT_STOCK (${available} available)`;
    case 'UNKNOWN_PRODUCT':
      return `${what}: UNKNOWN_PRODUCT (no such product)`;
    case 'OTHER':
      return `${what}: OTHER`;
  }
}
