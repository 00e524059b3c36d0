import type { Decider } from '../../../src/index.js';
import { invoiceIdFor } from '../invoicing/invoiceFor.js';
import { decideOrder } from './decideOrder.js';
import { evolveOrder } from './evolveOrder.js';
import { ORDER_COMMAND_TYPES, type OrderCommand } from './orderCommands.js';
import { ORDER_EVENT_TYPES, type OrderEvent } from './orderEvents.js';
import { initialOrderState, type OrderState } from './orderState.js';

/** One order: the aggregate id is the order id. */
export const orderDecider: Decider<OrderCommand, OrderEvent, OrderState> = {
  domain: 'orders',
  commandTypes: ORDER_COMMAND_TYPES,
  eventTypes: ORDER_EVENT_TYPES,
  initialState: initialOrderState,
  decide: decideOrder,
  evolve: evolveOrder,
  aggregateIdOf: (command) => command.data.orderId,
  // A placed order is reserved product by product, invoiced, and indexed by customer.
  relatedIdsOf: (command) =>
    command.type === 'PlaceOrder'
      ? [
          ...command.data.items.map((item, i) => ({ field: `items.${i}.productId`, id: item.productId })),
          { field: 'customerId', id: command.data.customerId },
          { field: 'orderId', id: invoiceIdFor(command.data.orderId), as: 'its invoice’s id' },
        ]
      : [],
};
