import { defineApi } from '../api.js';
import { field, int16, int32, int64, string, struct } from '../schema.js';

/**
 * InitProducerId (22), v0-4: a producer id and epoch for an idempotent producer (null
 * transactional id) or a transactional one. v2 is flexible. v3 (KIP-360) lets a producer pass its
 * current id and epoch to bump the epoch after an abortable error instead of starting over; v4
 * only changes which errors the broker may return.
 */
export const InitProducerId = defineApi({
  key: 22,
  name: 'InitProducerId',
  minVersion: 0,
  maxVersion: 4,
  flexibleFrom: 2,
  request: struct({
    transactionalId: field(string, { nullable: '0+' }),
    transactionTimeoutMs: int32,
    producerId: field(int64, { versions: '3+', default: -1n }),
    producerEpoch: field(int16, { versions: '3+', default: -1 }),
  }),
  response: struct({
    throttleTimeMs: int32,
    errorCode: int16,
    producerId: field(int64, { default: -1n }),
    producerEpoch: int16,
  }),
});
