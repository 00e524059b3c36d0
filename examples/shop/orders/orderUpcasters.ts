import { type RecordValue, type UpcasterEntry, Upcasters } from '../../../src/index.js';

interface OrderItem {
  quantity: number;
  unitPrice: number;
}

/**
 * OrderPlaced version 1 carried no total (and no currency: every order was in euros, which the
 * version 2 default says). Resolution leaves `total` at its default 0; the total is the sum of
 * the lines, in cents.
 */
export const orderPlacedV1: UpcasterEntry = {
  type: 'kes.orders.OrderPlaced',
  fromVersion: 1,
  upcast: (event: RecordValue) => ({
    ...event,
    total: (event.items as OrderItem[]).reduce((sum, item) => sum + item.quantity * item.unitPrice, 0),
  }),
};

/** The upcasters of the reference domain's record types. */
export function domainUpcasters(): Upcasters {
  return new Upcasters([orderPlacedV1]);
}
