import { CloudEventHeaders } from '../../../src/commands/cloudEvents.js';
import type { Processor } from '../../../src/processor/processor.js';
import type { Serde } from '../../../src/serde/serde.js';

/** Stock events the order fulfilment saga waits for. */
export const RESERVATION_OUTCOMES = new Set([
  'kes.stock.StockReserved',
  'kes.stock.StockReservationRejected',
  'kes.stock.StockReleased',
]);

export const FULFILMENT_REPARTITION_TOPIC = 'order-fulfilment.repartition';

/**
 * Re-keys stock reservation outcomes by order id onto the saga's repartition topic (as Kafka
 * Streams repartitions before a join), so that the saga task owning an order sees its orders
 * events and its stock replies on the same partition number. The records are forwarded as they
 * are — bytes and headers — only the key changes.
 */
export function stockReplies(serde: Serde): Processor {
  return {
    name: 'stock-replies',
    async process(record, context) {
      if (record.value === null) return;
      // Events carry their type in ce_type: most are not reservation outcomes, and need no decoding.
      const type = record.headers[CloudEventHeaders.type];
      if (type !== undefined && !RESERVATION_OUTCOMES.has(type)) return;
      const decoded = await serde.decode(record.value);
      if (!RESERVATION_OUTCOMES.has(decoded.type)) return;
      const orderId = (decoded.value as { orderId?: unknown }).orderId;
      if (typeof orderId !== 'string') throw new Error(`${decoded.type} without an order id`);
      context.forward({
        topic: FULFILMENT_REPARTITION_TOPIC,
        key: orderId,
        value: record.value,
        headers: record.headers,
      });
    },
  };
}
