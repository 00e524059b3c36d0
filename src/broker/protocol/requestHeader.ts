import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

/**
 * Request header v1 (api key, version, correlation id, client id) and v2, which adds a tagged
 * field section for flexible API versions. The client id stays an int16-length string even in v2.
 * Response header v0 is the correlation id; v1 adds tagged fields, except for ApiVersions, which
 * always answers with v0 so that a client can read it before knowing the broker's versions.
 */
export interface RequestHeader {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string | null;
}

export function readRequestHeader(r: Reader): RequestHeader {
  const apiKey = r.int16();
  const apiVersion = r.int16();
  const correlationId = r.int32();
  const clientId = r.nullableString();
  return { apiKey, apiVersion, correlationId, clientId };
}

/** Skips the v2 header's tagged fields; none are defined that the broker needs. */
export function skipHeaderTags(r: Reader): void {
  const count = r.uvarint();
  for (let i = 0; i < count; i++) {
    r.uvarint();
    r.raw(r.uvarint());
  }
}

export function writeResponseHeader(w: Writer, correlationId: number, withTags: boolean): void {
  w.int32(correlationId);
  if (withTags) w.uvarint(0);
}
