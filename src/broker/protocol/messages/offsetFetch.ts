import { defineApi } from '../api.js';
import { array, field, int16, int32, int64, string, struct } from '../schema.js';

/**
 * OffsetFetch (9), v1-5. v2: null topics = every partition the group has committed, and a
 * top-level error code. v3: throttle time. v5: committed leader epoch.
 */
export const OffsetFetch = defineApi({
  key: 9,
  name: 'OffsetFetch',
  minVersion: 1,
  maxVersion: 5,
  flexibleFrom: 6,
  request: struct({
    groupId: string,
    topics: field(array(struct({ name: string, partitionIndexes: array(int32) })), { nullable: '2+' }),
  }),
  response: struct({
    throttleTimeMs: field(int32, { versions: '3+' }),
    topics: array(
      struct({
        name: string,
        partitions: array(
          struct({
            partitionIndex: int32,
            committedOffset: int64,
            committedLeaderEpoch: field(int32, { versions: '5+', default: -1 }),
            metadata: field(string, { nullable: '0+' }),
            errorCode: int16,
          }),
        ),
      }),
    ),
    errorCode: field(int16, { versions: '2+' }),
  }),
});
