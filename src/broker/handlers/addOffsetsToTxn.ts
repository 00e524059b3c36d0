import { AddOffsetsToTxn } from '../protocol/messages/addOffsetsToTxn.js';
import { defineHandler } from './handler.js';

/** AddOffsetsToTxn v0-1: the open transaction will commit offsets of this consumer group. */
export const addOffsetsToTxnHandler = defineHandler(AddOffsetsToTxn, (request, ctx) => ({
  throttleTimeMs: 0,
  errorCode: ctx.broker.transactions.addOffsets(
    request.transactionalId,
    request.producerId,
    request.producerEpoch,
    request.groupId,
  ),
}));
