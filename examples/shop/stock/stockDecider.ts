import type { Decider } from '../../../src/index.js';
import { decideStock } from './decideStock.js';
import { evolveStock } from './evolveStock.js';
import { STOCK_COMMAND_TYPES, type StockCommand } from './stockCommands.js';
import { STOCK_EVENT_TYPES, type StockEvent } from './stockEvents.js';
import { initialStockState, type StockState } from './stockState.js';

/** The stock of one product: the aggregate id is the product id. */
export const stockDecider: Decider<StockCommand, StockEvent, StockState> = {
  domain: 'stock',
  commandTypes: STOCK_COMMAND_TYPES,
  eventTypes: STOCK_EVENT_TYPES,
  initialState: initialStockState,
  decide: decideStock,
  evolve: evolveStock,
  aggregateIdOf: (command) => command.data.productId,
};
