import type { FastifyInstance } from 'fastify';
import type { ApiContext } from './apiContext.js';
import { customerScope } from './apiAuth.js';
import { ApiError } from './apiErrors.js';
import { errorResponses } from './errorSchema.js';
import { afterParam, idParam, limitParam, QUERY_DOCS } from './queryParams.js';

type Query = Record<string, string | undefined>;

/**
 * GET /views/{view} (a page of rows; with an index's parameter, e.g. `customerId`, the rows for
 * that value) and GET /views/{view}/{key}. `after` waits for a command's position.
 */
export function viewRoutes(api: FastifyInstance, context: ApiContext): void {
  const deadline = () => Date.now() + context.limits.queryWaitMs;
  // An instance running none of the views has no names to list, and an empty enum is no schema.
  const names = context.queries.viewNames;
  const viewParam = { type: 'string', ...(names.length > 0 ? { enum: names } : {}) };
  // Each view index is a query parameter (in the example, orders-with-invoices: customerId; account-statements: accountId).
  const indexParams = Object.fromEntries(
    [...context.queries.indexNames].map(([view, index]) => [
      index,
      { type: 'string', description: `${view}: the rows of this ${index}` },
    ]),
  );
  api.get(
    '/views/:view',
    {
      schema: {
        tags: ['views'],
        summary:
          'A page of a view’s rows, in key order; or, with an index parameter, the rows for that value',
        params: { type: 'object', properties: { view: viewParam } },
        querystring: {
          type: 'object',
          properties: {
            ...QUERY_DOCS,
            ...indexParams,
          },
        },
        response: errorResponses(400, 404, 503, 504),
      },
      attachValidation: true,
    },
    async (request) => {
      const { view: name } = request.params as { view: string };
      const query = request.query as Query;
      const view = context.queries.view(name);
      const page = {
        limit: limitParam(query.limit),
        ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
        ...(query.after !== undefined ? { after: afterParam(query.after)! } : {}),
      };
      // A customer lists their own rows: the index value is their token's (accessPolicy.ts).
      const scope = customerScope(request);
      if (scope !== undefined && !view.index) {
        throw new ApiError('FORBIDDEN', `${name} has no customer index`);
      }
      const value = scope ?? (view.index ? query[view.index.name] : undefined);
      if (view.index && value !== undefined) {
        // The value becomes the start of the scan's keys: an id, by the id rules.
        return context.queries.byIndex(name, idParam(value, view.index.name), page, deadline());
      }
      return context.queries.list(name, page, deadline());
    },
  );
  api.get(
    '/views/:view/:key',
    {
      schema: {
        tags: ['views'],
        summary: 'One row of a view, served by the instance owning its partition',
        params: {
          type: 'object',
          properties: { view: viewParam, key: { type: 'string' } },
        },
        querystring: { type: 'object', properties: { after: QUERY_DOCS.after } },
        response: errorResponses(400, 404, 503, 504),
      },
      attachValidation: true,
    },
    async (request) => {
      const { view, key } = request.params as { view: string; key: string };
      const after = afterParam((request.query as Query).after);
      const row = await context.queries.row(view, key, after, deadline());
      // A customer sees their own rows only; another's is answered as absent (nothing leaks).
      const scope = customerScope(request);
      if (scope !== undefined && (row as { customerId?: unknown }).customerId !== scope) {
        throw new ApiError('NOT_FOUND', `${view} has no row ${key}`, { view, key });
      }
      return row;
    },
  );
}
