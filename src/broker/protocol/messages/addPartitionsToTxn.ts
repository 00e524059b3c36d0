import { defineApi } from '../api.js';
import { array, int16, int32, int64, string, struct } from '../schema.js';

/** AddPartitionsToTxn (24), v0-1: the partitions a transaction is about to write. v1 = v0. */
export const AddPartitionsToTxn = defineApi({
  key: 24,
  name: 'AddPartitionsToTxn',
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: 3,
  request: struct({
    transactionalId: string,
    producerId: int64,
    producerEpoch: int16,
    topics: array(struct({ name: string, partitions: array(int32) })),
  }),
  response: struct({
    throttleTimeMs: int32,
    results: array(
      struct({
        name: string,
        resultsByPartition: array(struct({ partitionIndex: int32, partitionErrorCode: int16 })),
      }),
    ),
  }),
});
