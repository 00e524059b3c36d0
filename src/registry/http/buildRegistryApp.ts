import Fastify, { type FastifyError, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import { errors, RegistryError } from '../errors.js';
import type { RegistryService } from '../registryService.js';
import { compatibilityRoutes } from './compatibilityRoutes.js';
import { configRoutes } from './configRoutes.js';
import { registerContentTypes, responseType } from './contentTypes.js';
import { schemaRoutes } from './schemaRoutes.js';
import { subjectRoutes } from './subjectRoutes.js';

/**
 * The registry's HTTP API (Confluent's REST API) over a RegistryService, not yet listening: tests
 * call `app.inject()`, startRegistry() calls `listen()`. HEAD is answered on every GET route.
 */
export function buildRegistryApp(service: RegistryService, logger: Logger): FastifyInstance {
  const app = Fastify({
    loggerInstance: logger,
    // Requests are not logged one by one; writes are, by RegistryService.
    logController: new LogController({ disableRequestLogging: true }),
    exposeHeadRoutes: true,
    routerOptions: { ignoreTrailingSlash: true },
  }) as unknown as FastifyInstance;
  registerContentTypes(app);

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('content-type', responseType(request.headers.accept));
    return payload;
  });
  // Answers are JSON whatever their shape (an id, a list, a schema's own text).
  app.setReplySerializer((payload) => JSON.stringify(payload));

  app.setNotFoundHandler(async (_request, reply) => {
    const error = errors.notFound();
    return reply.code(error.status).send(error.toBody());
  });

  app.setErrorHandler(async (err: FastifyError | RegistryError, request, reply) => {
    let error: RegistryError;
    if (err instanceof RegistryError) {
      error = err;
    } else if (err.statusCode === 415) {
      error = errors.unsupportedMediaType();
    } else if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
      error = errors.badRequest(err.message);
    } else {
      request.log.error({ err, url: request.url, method: request.method }, 'request failed');
      error = errors.internal();
    }
    return reply.code(error.status).send(error.toBody());
  });

  schemaRoutes(app, service);
  subjectRoutes(app, service);
  configRoutes(app, service);
  compatibilityRoutes(app, service);
  return app;
}
