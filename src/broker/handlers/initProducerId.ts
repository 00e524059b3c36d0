import { InitProducerId } from '../protocol/messages/initProducerId.js';
import { defineHandler } from './handler.js';

/**
 * InitProducerId v0-4: a producer id for an idempotent producer, or the next epoch of a
 * transactional id's producer (fencing the one before). v3+ may name the current id and epoch.
 */
export const initProducerIdHandler = defineHandler(InitProducerId, (request, ctx) => ({
  throttleTimeMs: 0,
  ...ctx.broker.transactions.initProducerId(
    request.transactionalId,
    request.transactionTimeoutMs,
    { producerId: request.producerId, producerEpoch: request.producerEpoch },
    ctx.version,
  ),
}));
