import { defineApi } from '../api.js';
import { array, field, int16, int32, string, struct } from '../schema.js';

/** DeleteTopics (20), v0-1. v1: throttle time. */
export const DeleteTopics = defineApi({
  key: 20,
  name: 'DeleteTopics',
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: 4,
  request: struct({
    topicNames: array(string),
    timeoutMs: int32,
  }),
  response: struct({
    throttleTimeMs: field(int32, { versions: '1+' }),
    responses: array(struct({ name: string, errorCode: int16 })),
  }),
});
