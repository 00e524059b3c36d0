import { defineApi } from '../api.js';
import { array, bytes, field, int16, int32, int64, string, struct } from '../schema.js';

/**
 * Produce (0), v3-7. v3 is the floor: record batch v2 (headers) and transactional_id.
 * v2+: log_append_time_ms. v5+: log_start_offset. v4, v6 and v7 change only error semantics.
 */
export const Produce = defineApi({
  key: 0,
  name: 'Produce',
  minVersion: 3,
  maxVersion: 7,
  flexibleFrom: 9,
  request: struct({
    transactionalId: field(string, { versions: '3+', nullable: '3+', default: null }),
    acks: int16,
    timeoutMs: int32,
    topicData: array(
      struct({
        name: string,
        partitionData: array(struct({ index: int32, records: field(bytes, { nullable: '0+' }) })),
      }),
    ),
  }),
  response: struct({
    responses: array(
      struct({
        name: string,
        partitionResponses: array(
          struct({
            index: int32,
            errorCode: int16,
            baseOffset: int64,
            logAppendTimeMs: field(int64, { versions: '2+', default: -1n }),
            logStartOffset: field(int64, { versions: '5+', default: -1n }),
          }),
        ),
      }),
    ),
    throttleTimeMs: field(int32, { versions: '1+' }),
  }),
});
