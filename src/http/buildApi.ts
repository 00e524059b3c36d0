import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
} from 'fastify';
import { adminRoutes } from './adminRoutes.js';
import { aggregateRoutes } from './aggregateRoutes.js';
import { apiAuth } from './apiAuth.js';
import { tracingHooks } from './tracingHooks.js';
import type { ApiContext } from './apiContext.js';
import { ApiError, type ApiErrorCode } from './apiErrors.js';
import { QueryError, type QueryErrorCode } from '../query/queryError.js';
import { ViewError, type ViewErrorCode } from '../views/viewError.js';
import { isUnavailable } from '../kafka/kafkaErrors.js';
import { isRegistryUnavailable } from '../serde/registryUnavailable.js';
import { commandRoutes } from './commandRoutes.js';
import { consoleRoutes } from './consoleRoutes.js';
import { healthRoutes } from './healthRoutes.js';
import { internalRoutes } from './internalRoutes.js';
import { overviewRoutes } from './overviewRoutes.js';
import { operationsRoutes } from './operationsRoutes.js';
import { schemaRoutes } from './schemaRoutes.js';
import { tailRoutes } from './tailRoutes.js';
import { viewRoutes } from './viewRoutes.js';

/** The codes of the errors raised below the HTTP layer are codes of the catalog (checked here). */
type CatalogCodes<T extends ApiErrorCode> = T;
export type LowerLayerCodes = CatalogCodes<QueryErrorCode | ViewErrorCode>;

/** Fastify's own errors, as codes of the catalog. */
const API_CODE_OF_FASTIFY_ERROR: Record<string, ApiError['code']> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
};

/**
 * The HTTP API of a kes instance (Fastify): commands, views, aggregates, health, metrics, the
 * internal routes of interactive queries, and the OpenAPI document at /docs. Every error is
 * answered with a code of the catalog (apiErrors.ts).
 */
export async function buildApi(context: ApiContext): Promise<FastifyInstance> {
  const api = Fastify({
    loggerInstance: context.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: context.limits.bodyLimit,
    // Keys may hold any character; ids are matched whole.
    routerOptions: { maxParamLength: 500 },
    // Route schemas document the API; handlers check input themselves (commands against their
    // Avro schemas, naming the field), so Fastify's validator must not change what it sees.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false } },
  });
  // Commands are JSON; any other body is refused with UNSUPPORTED_MEDIA_TYPE.
  api.removeContentTypeParser('text/plain');
  // First: a request without a valid token is refused before its body is read.
  tracingHooks(api); // first, so refused requests are traced too
  await apiAuth(api, context, context.jwtSecret);
  await api.register(swagger, {
    openapi: {
      info: {
        title: 'kes',
        description:
          'Event sourcing and CQRS on Kafka: send commands, read views and aggregate histories. Errors: `{code, message}` with a code from the catalog (docs/api-errors.md).',
        version: '1.0.0',
      },
      ...(context.jwtSecret !== undefined
        ? {
            // Every route but /health/*, /metrics and /docs (see docs/operations.md, Security).
            components: {
              securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
            },
            security: [{ bearer: [] }],
          }
        : {}),
      tags: [
        { name: 'commands', description: 'Commands to the aggregates; each waits for its result' },
        { name: 'views', description: 'Read models, served by the instance owning the key' },
        { name: 'aggregates', description: 'Event history (audit) and temporal queries' },
        { name: 'health', description: 'Liveness, readiness, metrics' },
        { name: 'admin', description: 'Operations: view rebuilds' },
      ],
    },
  });
  await api.register(swaggerUi, { routePrefix: '/docs' });
  api.setErrorHandler((error: FastifyError | ApiError | QueryError | ViewError, request, reply) => {
    let apiError: ApiError;
    if (error instanceof ApiError) apiError = error;
    else if (error instanceof QueryError || error instanceof ViewError) {
      // Raised below the HTTP layer, with a code of the catalog.
      apiError = new ApiError(error.code, error.message, error.details);
    } else if (error.code && API_CODE_OF_FASTIFY_ERROR[error.code])
      apiError = new ApiError(API_CODE_OF_FASTIFY_ERROR[error.code]!, error.message);
    else if (error instanceof SyntaxError || (error as FastifyError).statusCode === 400) {
      apiError = new ApiError('INVALID_JSON', error.message);
    } else if (isUnavailable(error)) {
      // Kafka out of reach (a broker lost, a leader or coordinator moving): it passes.
      apiError = new ApiError('UNAVAILABLE', `Kafka is unavailable: ${error.message}`);
    } else if (isRegistryUnavailable(error)) {
      apiError = new ApiError('UNAVAILABLE', `the schema registry is unavailable: ${error.message}`);
    } else {
      request.log.error({ err: error, url: request.url }, 'request failed');
      apiError = new ApiError('INTERNAL_ERROR', 'an unexpected error; the log has the details');
    }
    if (apiError.status >= 500 && apiError.code !== 'INTERNAL_ERROR') {
      request.log.warn({ code: apiError.code, url: request.url }, apiError.message);
    }
    // Every 503 passes: say when to come back (RFC 9110, 10.2.3).
    if (apiError.status === 503) void reply.header('retry-after', '1');
    return reply.code(apiError.status).send(apiError.toJSON());
  });
  api.setNotFoundHandler((request, reply) => {
    const error = new ApiError('ROUTE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`);
    return reply.code(error.status).send(error.toJSON());
  });
  commandRoutes(api, context);
  viewRoutes(api, context);
  aggregateRoutes(api, context);
  healthRoutes(api, context);
  adminRoutes(api, context);
  overviewRoutes(api, context);
  operationsRoutes(api, context);
  schemaRoutes(api, context);
  tailRoutes(api, context);
  internalRoutes(api, context);
  await consoleRoutes(api);
  return api;
}
