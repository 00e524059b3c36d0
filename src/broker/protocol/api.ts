import { Reader } from './reader.js';
import type { Type } from './schema.js';
import type { Writer } from './writer.js';

/**
 * One Kafka API as the broker implements it: its key, the versions it serves, where flexible
 * versions start, and the schemas of its request and response.
 */
export interface Api<Req = unknown, Res = unknown> {
  readonly key: number;
  readonly name: string;
  readonly minVersion: number;
  readonly maxVersion: number;
  /** First flexible version (KIP-482), from Kafka's message spec; may lie above maxVersion. */
  readonly flexibleFrom: number;
  readonly request: Type<Req>;
  readonly response: Type<Res>;
}

export function defineApi<Req, Res>(api: Api<Req, Res>): Api<Req, Res> {
  return api;
}

export type RequestOf<A> = A extends Api<infer Req, unknown> ? Req : never;
export type ResponseOf<A> = A extends Api<unknown, infer Res> ? Res : never;

export const isFlexible = (api: Api, version: number) => version >= api.flexibleFrom;
export const supports = (api: Api, version: number) => version >= api.minVersion && version <= api.maxVersion;

export function decodeRequest<Req>(api: Api<Req>, version: number, reader: Reader): Req {
  return api.request.read(reader, { version, flexible: isFlexible(api, version) }, false) as Req;
}

export function encodeResponse<Res>(
  api: Api<unknown, Res>,
  version: number,
  value: Res,
  writer: Writer,
): void {
  api.response.write(writer, value, { version, flexible: isFlexible(api, version) }, false);
}

/** Encodes a request the way a client would; the broker itself only needs this in tests and tools. */
export function encodeRequest<Req>(api: Api<Req>, version: number, value: Req, writer: Writer): void {
  api.request.write(writer, value, { version, flexible: isFlexible(api, version) }, false);
}

export function decodeResponse<Res>(api: Api<unknown, Res>, version: number, buffer: Buffer): Res {
  return api.response.read(new Reader(buffer), { version, flexible: isFlexible(api, version) }, false) as Res;
}
