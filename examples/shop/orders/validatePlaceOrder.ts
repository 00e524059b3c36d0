import { type Decision, reject } from '../../../src/index.js';
import type { PlaceOrder } from './orderCommands.js';
import type { OrderRejectionCode } from './orderRejections.js';
import { orderTotal } from './orderTotal.js';

const MAX_QUANTITY = 2_147_483_647; // an Avro int

const rejected = (code: OrderRejectionCode, message: string) => reject(code, message);

/** The rejection a PlaceOrder deserves whatever the order's state, or undefined when it is well formed. */
export function validatePlaceOrder({ data }: PlaceOrder): Decision<never> | undefined {
  const { orderId, customerId, customerName, items } = data;
  if (orderId.trim() === '' || customerId.trim() === '' || customerName.trim() === '') {
    return rejected('INVALID_ORDER', 'an order needs a non-empty order id, customer id and customer name');
  }
  if (items.length === 0) return rejected('EMPTY_ORDER', `order ${orderId} has no lines`);
  const lineOfProduct = new Map<string, number>();
  for (const [line, { productId, quantity, unitPrice }] of items.entries()) {
    if (productId.trim() === '') return rejected('INVALID_ORDER', `line ${line} has no product id`);
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
      return rejected('INVALID_QUANTITY', `line ${line} orders ${quantity} units of ${productId}`);
    }
    if (!Number.isSafeInteger(unitPrice) || unitPrice < 0) {
      return rejected('INVALID_PRICE', `line ${line} has a unit price of ${unitPrice} cents`);
    }
    const earlier = lineOfProduct.get(productId);
    if (earlier !== undefined) {
      return rejected('DUPLICATE_PRODUCT', `lines ${earlier} and ${line} both order product ${productId}`);
    }
    lineOfProduct.set(productId, line);
  }
  const total = orderTotal(items);
  if (!Number.isSafeInteger(total) || items.some((i) => !Number.isSafeInteger(i.quantity * i.unitPrice))) {
    return rejected(
      'TOTAL_TOO_LARGE',
      `the total of order ${orderId} exceeds ${Number.MAX_SAFE_INTEGER} cents`,
    );
  }
  return undefined;
}
