import { defineApi } from '../api.js';
import { array, field, int16, int32, int64, string, struct } from '../schema.js';

/**
 * TxnOffsetCommit (28), v0-2: consumer offsets that become committed only when the transaction
 * commits (sendOffsetsToTransaction). v2: committed leader epoch.
 */
export const TxnOffsetCommit = defineApi({
  key: 28,
  name: 'TxnOffsetCommit',
  minVersion: 0,
  maxVersion: 2,
  flexibleFrom: 3,
  request: struct({
    transactionalId: string,
    groupId: string,
    producerId: int64,
    producerEpoch: int16,
    topics: array(
      struct({
        name: string,
        partitions: array(
          struct({
            partitionIndex: int32,
            committedOffset: int64,
            committedLeaderEpoch: field(int32, { versions: '2+', default: -1 }),
            committedMetadata: field(string, { nullable: '0+' }),
          }),
        ),
      }),
    ),
  }),
  response: struct({
    throttleTimeMs: int32,
    topics: array(
      struct({ name: string, partitions: array(struct({ partitionIndex: int32, errorCode: int16 })) }),
    ),
  }),
});
