import { defineApi } from '../api.js';
import { array, field, int16, int32, string, struct } from '../schema.js';

/**
 * ApiVersions (18), v0-3. v3 is flexible (KIP-511: client software name and version), but its
 * response header stays v0 so that a client can read it before it knows what the broker speaks.
 */
export const ApiVersions = defineApi({
  key: 18,
  name: 'ApiVersions',
  minVersion: 0,
  maxVersion: 3,
  flexibleFrom: 3,
  request: struct({
    clientSoftwareName: field(string, { versions: '3+' }),
    clientSoftwareVersion: field(string, { versions: '3+' }),
  }),
  response: struct({
    errorCode: int16,
    apiKeys: array(struct({ apiKey: int16, minVersion: int16, maxVersion: int16 })),
    throttleTimeMs: field(int32, { versions: '1+' }),
  }),
});
