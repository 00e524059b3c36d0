import type { FastifyInstance } from 'fastify';
import type { ApiContext } from './apiContext.js';
import { errorResponses } from './errorSchema.js';
import { viewProgress } from './overviewRoutes.js';
import { rebuildProgressSchema, viewStateSchema } from './overviewSchemas.js';

const stateSchema = viewStateSchema;

/** Operations on views: their generations, and a rebuild (blue/green, from offset 0). */
export function adminRoutes(api: FastifyInstance, context: ApiContext): void {
  const params = { type: 'object', properties: { view: { type: 'string' } } };
  api.get(
    '/admin/views/:view',
    {
      schema: {
        tags: ['admin'],
        summary: 'The generations of a view: the one serving queries, and the one being built',
        params,
        response: {
          200: { ...stateSchema, properties: { ...stateSchema.properties, progress: rebuildProgressSchema } },
          ...errorResponses(404, 503),
        },
      },
    },
    async (request) => {
      const state = context.viewState((request.params as { view: string }).view);
      return { ...state, progress: await viewProgress(context, state) };
    },
  );
  api.post(
    '/admin/views/:view/rebuild',
    {
      schema: {
        tags: ['admin'],
        summary:
          'Builds a new generation of the view from offset 0 beside the serving one; queries switch to it once it has caught up',
        params,
        response: { 202: stateSchema, ...errorResponses(404, 409, 503) },
      },
    },
    async (request, reply) =>
      reply.code(202).send(await context.rebuild((request.params as { view: string }).view)),
  );
}
