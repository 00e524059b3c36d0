import type { OrderItem } from './orderCommands.js';

/** The currency of every order: prices are in euro cents. */
export const ORDER_CURRENCY = 'EUR';

/** Σ quantity × unitPrice over the lines, in cents. */
export function orderTotal(items: readonly OrderItem[]): number {
  return items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0);
}
