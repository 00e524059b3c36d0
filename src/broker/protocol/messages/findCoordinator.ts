import { defineApi } from '../api.js';
import { field, int16, int32, int8, string, struct } from '../schema.js';

/**
 * FindCoordinator (10), v0-2. v1: key_type (0 group, 1 transaction), throttle time, error
 * message. v2 = v1. librdkafka enables its group coordinator feature only if v0 is offered.
 */
export const FindCoordinator = defineApi({
  key: 10,
  name: 'FindCoordinator',
  minVersion: 0,
  maxVersion: 2,
  flexibleFrom: 3,
  request: struct({
    key: string,
    keyType: field(int8, { versions: '1+' }),
  }),
  response: struct({
    throttleTimeMs: field(int32, { versions: '1+' }),
    errorCode: int16,
    errorMessage: field(string, { versions: '1+', nullable: '1+', default: null }),
    nodeId: int32,
    host: string,
    port: int32,
  }),
});
