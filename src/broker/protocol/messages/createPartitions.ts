import { defineApi } from '../api.js';
import { array, bool, field, int16, int32, string, struct } from '../schema.js';

/** CreatePartitions (37), v0-1: raises a topic's partition count. v1 = v0 on the wire. */
export const CreatePartitions = defineApi({
  key: 37,
  name: 'CreatePartitions',
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: 2,
  request: struct({
    topics: array(
      struct({
        name: string,
        count: int32,
        assignments: field(array(struct({ brokerIds: array(int32) })), { nullable: '0+' }),
      }),
    ),
    timeoutMs: int32,
    validateOnly: bool,
  }),
  response: struct({
    throttleTimeMs: int32,
    results: array(
      struct({
        name: string,
        errorCode: int16,
        errorMessage: field(string, { nullable: '0+', default: null }),
      }),
    ),
  }),
});
