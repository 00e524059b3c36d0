import { setTimeout as sleep } from 'node:timers/promises';
import jwt from '@fastify/jwt';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  type Decision,
  isOpenRoute,
  type OwnedAggregate,
  type Principal,
  authorize,
  principalOf,
} from './accessPolicy.js';
import type { ApiContext } from './apiContext.js';
import { ApiError } from './apiErrors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the request's token names; null on open routes and when the API requires no token. */
    principal: Principal | null;
    /** What the access policy decided; null on open routes and when the API requires no token. */
    access: Decision | null;
  }
}

/** How long a command on a customer's own aggregate looks for one its command handler has not stored yet. */
const OWNER_LOOKUP_MS = 1000;

/**
 * Bearer tokens for the API when `secret` is set (KES_JWT_SECRET): HS256 JWTs verified with
 * @fastify/jwt before anything else (401 UNAUTHORIZED, `WWW-Authenticate: Bearer`), then the
 * access policy (accessPolicy.ts) once the body is parsed (403 FORBIDDEN). Open routes need no
 * token. Without a secret every route is open.
 */
export async function apiAuth(
  api: FastifyInstance,
  context: ApiContext,
  secret: string | undefined,
): Promise<void> {
  api.decorateRequest('principal', null);
  api.decorateRequest('access', null);
  if (secret === undefined) return;
  await api.register(jwt, {
    secret,
    sign: { algorithm: 'HS256' },
    // Only HS256: a token naming another algorithm (or none) is refused, whatever it holds.
    verify: { algorithms: ['HS256'] },
  });
  api.addHook('onRequest', async (request, reply) => {
    if (isOpenRoute(request.routeOptions.url)) return;
    const sent = request.headers.authorization !== undefined;
    let claims: unknown;
    try {
      claims = await request.jwtVerify();
    } catch (err) {
      throw unauthorized(reply, sent, tokenProblem(err));
    }
    const principal = principalOf(claims);
    if ('invalid' in principal) throw unauthorized(reply, true, principal.invalid);
    request.principal = principal;
  });
  api.addHook('preHandler', async (request) => {
    const principal = request.principal;
    if (!principal) return;
    const decision = authorize(
      principal,
      {
        method: request.method,
        route: request.routeOptions.url,
        params: request.params as Record<string, string | undefined>,
        query: request.query as Record<string, string | undefined>,
        body: request.body,
      },
      context.access,
    );
    if (!decision.allowed) {
      request.log.info({ sub: principal.subject, url: request.url }, decision.reason);
      throw new ApiError('FORBIDDEN', decision.reason);
    }
    if (decision.owned !== undefined && decision.customerId !== undefined) {
      await checkOwned(context, decision.owned, decision.customerId);
    }
    request.access = decision;
  });
}

/** The customer a request is bound to (its token's customerId), if it is a customer's. */
export function customerScope(request: FastifyRequest): string | undefined {
  return request.access?.allowed ? request.access.customerId : undefined;
}

/**
 * A customer changes only their own aggregates (in the example, their orders): the aggregate's customer is read
 * from its state as its command handler holds it (one key; no lag behind the commands). One not
 * there yet is looked for a little longer (the command creating it may have been answered a moment
 * before the handler's store applied it). Another customer's and none are answered alike.
 */
async function checkOwned(context: ApiContext, owned: OwnedAggregate, customerId: string): Promise<void> {
  const { domain, aggregateId } = owned;
  const until = Date.now() + Math.min(OWNER_LOOKUP_MS, context.limits.queryWaitMs);
  for (;;) {
    const state = (await context.queries.current(domain, aggregateId, until)) as
      { customerId?: string } | undefined;
    if (state?.customerId === customerId) return;
    if (state?.customerId !== undefined || Date.now() + 50 > until) {
      throw new ApiError('FORBIDDEN', `${domain} ${aggregateId} is not customer ${customerId}'s`);
    }
    await sleep(50);
  }
}

/** A 401 with `WWW-Authenticate` (RFC 6750: `invalid_token` when a token was sent). */
function unauthorized(reply: FastifyReply, tokenSent: boolean, message: string): ApiError {
  reply.header(
    'www-authenticate',
    tokenSent ? 'Bearer realm="kes", error="invalid_token"' : 'Bearer realm="kes"',
  );
  return new ApiError('UNAUTHORIZED', message);
}

/** What was wrong with the token, from @fastify/jwt's and fast-jwt's error codes. */
function tokenProblem(err: unknown): string {
  switch ((err as { code?: string }).code) {
    case 'FST_JWT_NO_AUTHORIZATION_IN_HEADER':
      return 'a bearer token is required: Authorization: Bearer <token>';
    case 'FST_JWT_BAD_REQUEST':
      return 'the Authorization header must be Bearer <token>';
    case 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED':
      return 'the token has expired';
    case 'FST_JWT_AUTHORIZATION_TOKEN_INVALID':
    case 'FAST_JWT_MISSING_SIGNATURE':
      return 'the token is not valid: its signature, algorithm or claims do not verify';
    default:
      return 'the token is malformed';
  }
}
