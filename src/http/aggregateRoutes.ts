import type { FastifyInstance } from 'fastify';
import type { ApiContext } from './apiContext.js';
import { errorResponses } from './errorSchema.js';
import { afterParam, atParam, idParam, QUERY_DOCS } from './queryParams.js';

type Query = Record<string, string | undefined>;

const params = (domains: readonly string[]) => ({
  type: 'object',
  properties: {
    domain: { type: 'string', enum: [...domains] },
    id: { type: 'string', description: 'The aggregate id (1–200 bytes of UTF-8, no control characters)' },
  },
});

/**
 * The event history of an aggregate (audit: every event in order with its metadata) and its
 * state at a version or a time, folded from the events with the domain's evolve.
 */
export function aggregateRoutes(api: FastifyInstance, context: ApiContext): void {
  const deadline = () => Date.now() + context.limits.queryWaitMs;
  api.get(
    '/aggregates/:domain/:id/events',
    {
      schema: {
        tags: ['aggregates'],
        summary: 'The events of an aggregate, in order, with their metadata',
        params: params(context.sender.domains),
        querystring: { type: 'object', properties: { after: QUERY_DOCS.after } },
        response: errorResponses(400, 404, 503, 504),
      },
      attachValidation: true,
    },
    async (request) => {
      const { domain, id: param } = request.params as { domain: string; id: string };
      const id = idParam(param, 'id');
      const after = afterParam((request.query as Query).after);
      const events = await context.queries.history(domain, id, after, deadline());
      return { domain, aggregateId: id, version: events.at(-1)?.sequence ?? 0, events };
    },
  );
  api.get(
    '/aggregates/:domain/:id',
    {
      schema: {
        tags: ['aggregates'],
        summary: 'The state of an aggregate now, or `at` a version or a time',
        params: params(context.sender.domains),
        querystring: { type: 'object', properties: { at: QUERY_DOCS.at, after: QUERY_DOCS.after } },
        response: errorResponses(400, 404, 503, 504),
      },
      attachValidation: true,
    },
    async (request) => {
      const { domain, id: param } = request.params as { domain: string; id: string };
      const id = idParam(param, 'id');
      const query = request.query as Query;
      return context.queries.stateAt(domain, id, atParam(query.at), afterParam(query.after), deadline());
    },
  );
}
