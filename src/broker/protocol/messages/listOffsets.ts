import { defineApi } from '../api.js';
import { array, field, int16, int32, int64, int8, string, struct } from '../schema.js';

/**
 * ListOffsets (2), v1-3. Timestamp -1 asks for the end (the last stable offset under
 * read_committed, the high watermark otherwise), -2 for the log start, any other value for the
 * first offset whose timestamp is at or after it. v2: isolation_level, throttle time. v3 = v2.
 */
export const ListOffsets = defineApi({
  key: 2,
  name: 'ListOffsets',
  minVersion: 1,
  maxVersion: 3,
  flexibleFrom: 6,
  request: struct({
    replicaId: int32,
    isolationLevel: field(int8, { versions: '2+' }),
    topics: array(
      struct({
        name: string,
        partitions: array(struct({ partitionIndex: int32, timestamp: int64 })),
      }),
    ),
  }),
  response: struct({
    throttleTimeMs: field(int32, { versions: '2+' }),
    topics: array(
      struct({
        name: string,
        partitions: array(
          struct({
            partitionIndex: int32,
            errorCode: int16,
            timestamp: field(int64, { default: -1n }),
            offset: field(int64, { default: -1n }),
          }),
        ),
      }),
    ),
  }),
});
