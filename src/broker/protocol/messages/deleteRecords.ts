import { defineApi } from '../api.js';
import { array, int16, int32, int64, string, struct } from '../schema.js';

/**
 * DeleteRecords (21), v0-1: moves a partition's log start offset forward (offset -1 = the high
 * watermark). v1 = v0 on the wire.
 */
export const DeleteRecords = defineApi({
  key: 21,
  name: 'DeleteRecords',
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: 2,
  request: struct({
    topics: array(
      struct({ name: string, partitions: array(struct({ partitionIndex: int32, offset: int64 })) }),
    ),
    timeoutMs: int32,
  }),
  response: struct({
    throttleTimeMs: int32,
    topics: array(
      struct({
        name: string,
        partitions: array(struct({ partitionIndex: int32, lowWatermark: int64, errorCode: int16 })),
      }),
    ),
  }),
});
