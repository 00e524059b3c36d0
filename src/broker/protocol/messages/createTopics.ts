import { defineApi } from '../api.js';
import { array, bool, field, int16, int32, string, struct } from '../schema.js';

/**
 * CreateTopics (19), v0-4. v1: validate_only and error messages. v2: throttle time.
 * v3 and v4 are v2 on the wire (v4 only changes the defaults a client may leave at -1).
 */
export const CreateTopics = defineApi({
  key: 19,
  name: 'CreateTopics',
  minVersion: 0,
  maxVersion: 4,
  flexibleFrom: 5,
  request: struct({
    topics: array(
      struct({
        name: string,
        numPartitions: int32,
        replicationFactor: int16,
        assignments: array(struct({ partitionIndex: int32, brokerIds: array(int32) })),
        configs: array(struct({ name: string, value: field(string, { nullable: '0+' }) })),
      }),
    ),
    timeoutMs: field(int32, { default: 60000 }),
    validateOnly: field(bool, { versions: '1+' }),
  }),
  response: struct({
    throttleTimeMs: field(int32, { versions: '2+' }),
    topics: array(
      struct({
        name: string,
        errorCode: int16,
        errorMessage: field(string, { versions: '1+', nullable: '0+', default: null }),
      }),
    ),
  }),
});
