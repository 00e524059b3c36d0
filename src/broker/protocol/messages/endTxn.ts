import { bool, int16, int32, int64, string, struct } from '../schema.js';
import { defineApi } from '../api.js';

/** EndTxn (26), v0-1: commit or abort the producer's open transaction. v1 = v0. */
export const EndTxn = defineApi({
  key: 26,
  name: 'EndTxn',
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: 3,
  request: struct({ transactionalId: string, producerId: int64, producerEpoch: int16, committed: bool }),
  response: struct({ throttleTimeMs: int32, errorCode: int16 }),
});
