import { accept, type CommandContext, type Decision, reject } from '../../../src/index.js';
import type {
  AddProduct,
  DecreaseStock,
  IncreaseStock,
  ReleaseStock,
  ReserveStock,
  StockCommand,
} from './stockCommands.js';
import { isUnitCount, MAX_UNITS } from './stockCounts.js';
import type { ReservationRejectionReason, StockEvent } from './stockEvents.js';
import type { StockRejectionCode } from './stockRejections.js';
import { type ProductStock, reservationOf, type StockState } from './stockState.js';

type StockDecision = Decision<StockEvent>;

/** Decides a stock command against a product's state. Pure: stock needs no clock. */
export function decideStock(
  command: StockCommand,
  state: StockState,
  _context: CommandContext,
): StockDecision {
  switch (command.type) {
    case 'AddProduct':
      return addProduct(command, state);
    case 'IncreaseStock':
      return state.status === 'UNKNOWN' ? unknownProduct(command.data.productId) : increase(command, state);
    case 'DecreaseStock':
      return state.status === 'UNKNOWN' ? unknownProduct(command.data.productId) : decrease(command, state);
    case 'ReserveStock':
      return reserve(command, state);
    case 'ReleaseStock':
      return release(command, state);
  }
}

const rejected = (code: StockRejectionCode, message: string) => reject(code, message);

const unknownProduct = (productId: string) =>
  rejected('UNKNOWN_PRODUCT', `product ${productId} does not exist`);

const invalidQuantity = (quantity: number) =>
  rejected('INVALID_QUANTITY', `${quantity} is not a quantity of at least 1 unit`);

function addProduct({ data }: AddProduct, state: StockState): StockDecision {
  const { productId, name, initialStock } = data;
  if (state.status !== 'UNKNOWN') {
    return rejected('PRODUCT_ALREADY_EXISTS', `product ${productId} already exists`);
  }
  if (productId.trim() === '' || name.trim() === '') {
    return rejected('INVALID_PRODUCT', 'a product needs a non-empty id and name');
  }
  if (!isUnitCount(initialStock, 0)) {
    return rejected('INVALID_QUANTITY', `${initialStock} is not an initial stock of 0 units or more`);
  }
  return accept({ type: 'ProductAdded', data: { productId, name, initialStock } });
}

function increase({ data: { productId, quantity } }: IncreaseStock, state: ProductStock): StockDecision {
  if (!isUnitCount(quantity)) return invalidQuantity(quantity);
  if (state.available + state.reserved + quantity > MAX_UNITS) {
    return rejected('STOCK_LIMIT_EXCEEDED', `product ${productId} cannot hold more than ${MAX_UNITS} units`);
  }
  return accept({
    type: 'StockIncreased',
    data: { productId, quantity, available: state.available + quantity },
  });
}

function decrease({ data: { productId, quantity } }: DecreaseStock, state: ProductStock): StockDecision {
  if (!isUnitCount(quantity)) return invalidQuantity(quantity);
  if (quantity > state.available) {
    return rejected(
      'INSUFFICIENT_STOCK',
      `cannot remove ${quantity} units of product ${productId}: ${state.available} available`,
    );
  }
  return accept({
    type: 'StockDecreased',
    data: { productId, quantity, available: state.available - quantity },
  });
}

function invalidLine(orderId: string, lineNumber: number): StockDecision | undefined {
  if (orderId === '' || !Number.isInteger(lineNumber) || lineNumber < 0) {
    return rejected('INVALID_ORDER_LINE', `line ${lineNumber} of order "${orderId}" is not an order line`);
  }
  return undefined;
}

/**
 * The saga waits for an answer to every ReserveStock, so once the line is identified it always
 * gets an event: StockReserved, or StockReservationRejected (also for an unknown product and for
 * a quantity below 1, reason OTHER). A line already reserved is a repeat: nothing more to do.
 */
function reserve({ data }: ReserveStock, state: StockState): StockDecision {
  const { productId, quantity, orderId, lineNumber } = data;
  const refuse = (reason: ReservationRejectionReason, available: number) =>
    accept<StockEvent>({
      type: 'StockReservationRejected',
      data: { productId, requested: quantity, orderId, lineNumber, available, reason },
    });
  const invalid = invalidLine(orderId, lineNumber);
  if (invalid) return invalid;
  if (state.status === 'UNKNOWN') return refuse('UNKNOWN_PRODUCT', 0);
  if (reservationOf(state, orderId, lineNumber)) return accept();
  if (!isUnitCount(quantity)) return refuse('OTHER', state.available);
  if (quantity > state.available) return refuse('INSUFFICIENT_STOCK', state.available);
  return accept({
    type: 'StockReserved',
    data: { productId, quantity, orderId, lineNumber, available: state.available - quantity },
  });
}

/** Gives back exactly what the line holds, whatever the command's quantity says; nothing if it holds nothing. */
function release({ data }: ReleaseStock, state: StockState): StockDecision {
  const { productId, quantity, orderId, lineNumber } = data;
  const invalid = invalidLine(orderId, lineNumber);
  if (invalid) return invalid;
  if (state.status === 'UNKNOWN') return unknownProduct(productId);
  if (!isUnitCount(quantity)) return invalidQuantity(quantity);
  const reservation = reservationOf(state, orderId, lineNumber);
  if (!reservation) return accept();
  return accept({
    type: 'StockReleased',
    data: {
      productId,
      quantity: reservation.quantity,
      orderId,
      lineNumber,
      available: state.available + reservation.quantity,
    },
  });
}
