import { EndTxn } from '../protocol/messages/endTxn.js';
import { defineHandler } from './handler.js';

/**
 * EndTxn v0-1: commit or abort. The answer comes once every marker is written and the group
 * offsets are settled, so a client never sees CONCURRENT_TRANSACTIONS afterwards.
 */
export const endTxnHandler = defineHandler(EndTxn, (request, ctx) => ({
  throttleTimeMs: 0,
  errorCode: ctx.broker.transactions.endTxn(
    request.transactionalId,
    request.producerId,
    request.producerEpoch,
    request.committed,
  ),
}));
