import { defineApi } from '../api.js';
import { int16, int32, int64, string, struct } from '../schema.js';

/** AddOffsetsToTxn (25), v0-1: a consumer group whose offsets the transaction will commit. */
export const AddOffsetsToTxn = defineApi({
  key: 25,
  name: 'AddOffsetsToTxn',
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: 3,
  request: struct({ transactionalId: string, producerId: int64, producerEpoch: int16, groupId: string }),
  response: struct({ throttleTimeMs: int32, errorCode: int16 }),
});
