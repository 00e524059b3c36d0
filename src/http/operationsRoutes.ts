import type { FastifyInstance } from 'fastify';
import type { ApiContext } from './apiContext.js';
import { ApiError } from './apiErrors.js';
import { errorResponses } from './errorSchema.js';
import { idParam, limitParam } from './queryParams.js';

const stringParams = (...names: string[]) => ({
  type: 'object',
  properties: Object.fromEntries(names.map((n) => [n, { type: 'string' }])),
});

/**
 * The console's operations on what the application did: the trace of an id (every event it names
 * as id, correlation or causation), the sagas and an instance's state, and the dead letters of
 * every processor, listed and replayed.
 */
export function operationsRoutes(api: FastifyInstance, context: ApiContext): void {
  const { operations } = context;
  const deadline = () => Date.now() + context.limits.queryWaitMs;
  const tags = ['admin'];

  api.get(
    '/admin/trace/:id',
    {
      schema: {
        tags,
        summary:
          'Every event whose correlation id or causation id is this id, across domains and partitions, by time',
        params: stringParams('id'),
        response: errorResponses(503),
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      return { id, events: await operations.traces.trace(id, deadline()) };
    },
  );

  api.get(
    '/admin/aggregates/:domain',
    {
      schema: {
        tags,
        summary: 'The ids of a domain’s aggregates starting with `prefix`, in key order (at most `limit`)',
        params: stringParams('domain'),
        querystring: {
          type: 'object',
          properties: {
            prefix: { type: 'string' },
            limit: { type: 'string', description: '1–500, default 50' },
          },
        },
        response: errorResponses(400, 404, 503),
      },
      attachValidation: true,
    },
    async (request) => {
      const { domain } = request.params as { domain: string };
      if (!context.sender.domains.includes(domain)) {
        throw new ApiError('UNKNOWN_DOMAIN', `no domain named ${domain}`, { domain });
      }
      const query = request.query as { prefix?: string; limit?: string };
      const prefix = query.prefix ?? '';
      if (prefix !== '') idParam(prefix, 'prefix');
      const ids = await operations.aggregateIds.search(domain, prefix, limitParam(query.limit), deadline());
      return { domain, prefix, ids };
    },
  );

  api.get(
    '/admin/sagas',
    { schema: { tags, summary: 'The sagas of the application: name, what their key is, what they do' } },
    async () => ({ sagas: operations.sagas.list() }),
  );

  api.get(
    '/admin/sagas/:saga/:key',
    {
      schema: {
        tags,
        summary: 'The state a saga keeps for one key (e.g. an order id)',
        params: stringParams('saga', 'key'),
        response: errorResponses(400, 404, 503),
      },
    },
    async (request) => {
      const { saga, key: param } = request.params as { saga: string; key: string };
      const key = idParam(param, 'key');
      return { saga, key, state: await operations.sagas.state(saga, key, deadline()) };
    },
  );

  const processorOf = (params: unknown) => {
    const { processor } = params as { processor: string };
    if (!operations.deadLetters.processors.includes(processor)) {
      throw new ApiError('UNKNOWN_PROCESSOR', `no processor named ${processor}`, { processor });
    }
    return processor;
  };

  api.get(
    '/admin/dead-letters',
    {
      schema: {
        tags,
        summary: 'Every processor with how many dead letters it has, and whether they can be replayed',
        response: errorResponses(503),
      },
    },
    async () => ({ processors: await operations.deadLetters.summary() }),
  );

  api.get(
    '/admin/dead-letters/:processor',
    {
      schema: {
        tags,
        summary: "A processor's dead letters: error, source, headers, size, and whether it was replayed",
        params: stringParams('processor'),
        response: errorResponses(404, 503),
      },
    },
    async (request) => {
      const processor = processorOf(request.params);
      return { processor, letters: await operations.deadLetters.letters(processor) };
    },
  );

  api.post(
    '/admin/dead-letters/:processor/replay',
    {
      schema: {
        tags,
        summary:
          "Sends the processor's dead letters not replayed yet back to where they were read from, once (fix the cause first)",
        params: stringParams('processor'),
        response: errorResponses(404, 409, 503),
      },
    },
    async (request) => {
      const processor = processorOf(request.params);
      const refusal = operations.deadLetters.refusal(processor);
      if (refusal) throw new ApiError('REPLAY_REFUSED', refusal, { processor, reason: refusal });
      return { processor, ...(await operations.deadLetters.replay(processor)) };
    },
  );
}
