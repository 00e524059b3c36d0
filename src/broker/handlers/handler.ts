import type { Logger } from 'pino';
import type { Api } from '../protocol/api.js';
import type { RequestHeader } from '../protocol/requestHeader.js';
import type { BrokerContext } from '../brokerContext.js';

/** Who sent a request. */
export interface ConnectionInfo {
  readonly id: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
}

export interface RequestContext {
  /** The API version the request was sent at. */
  readonly version: number;
  readonly header: RequestHeader;
  readonly connection: ConnectionInfo;
  readonly broker: BrokerContext;
  readonly logger: Logger;
  /** Aborted when the connection closes: requests that wait (fetch, join) stop waiting. */
  readonly signal: AbortSignal;
}

/** Returned by a handler that must not answer (Produce with acks=0). */
export const NO_RESPONSE = Symbol('no response');

export type HandlerResult<Res> = Res | typeof NO_RESPONSE;

/**
 * One Kafka API's behaviour: validate the decoded request, delegate to the log, group or
 * transaction modules, build the response. Kafka errors go in the response; a thrown error
 * closes the connection.
 */
export interface Handler<Req = unknown, Res = unknown> {
  readonly api: Api<Req, Res>;
  handle(request: Req, ctx: RequestContext): HandlerResult<Res> | Promise<HandlerResult<Res>>;
}

export function defineHandler<Req, Res>(
  api: Api<Req, Res>,
  handle: (request: Req, ctx: RequestContext) => HandlerResult<Res> | Promise<HandlerResult<Res>>,
): Handler<Req, Res> {
  return { api, handle };
}
