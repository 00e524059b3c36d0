import type { FastifyInstance } from 'fastify';
import type { RangeOptions } from '../state/keyValueStore.js';
import { readRange, type StoreTarget, waitForProgress } from '../query/partitionStores.js';
import type { ApiContext } from './apiContext.js';
import { ApiError } from './apiErrors.js';

type Query = Record<string, string | undefined>;

/**
 * The routes instances use to read each other's partitions (interactive queries): a key, a
 * range, the progress of a task. They answer from stores of tasks running here only — else
 * NOT_OWNER, and the caller looks the owner up again.
 */
export function internalRoutes(api: FastifyInstance, context: ApiContext): void {
  const store = (params: unknown) => {
    const {
      processor,
      store: name,
      partition,
    } = params as { processor: string; store: string; partition: string };
    const target: StoreTarget = { processor, store: name, partition: Number(partition) };
    const local = context.stores.local(target);
    if (!local) throw new ApiError('NOT_OWNER', `partition ${partition} of ${processor} is not served here`);
    return local;
  };
  const prefix = '/internal/stores/:processor/:store/:partition';
  const schema = { hide: true };
  api.get(`${prefix}/get`, { schema }, async (request, reply) => {
    const key = (request.query as Query).key;
    if (key === undefined) throw new ApiError('INVALID_REQUEST', 'key is required', { field: 'key' });
    const value = await store(request.params).get(key);
    if (!value) throw new ApiError('NOT_FOUND', `no key ${key}`);
    return reply.type('application/json').send(value);
  });
  api.get(`${prefix}/range`, { schema }, async (request) => {
    const bounds = JSON.parse((request.query as Query).bounds ?? '{}') as RangeOptions;
    return readRange(store(request.params), bounds);
  });
  api.get(`${prefix}/progress`, { schema }, async (request) => {
    const query = request.query as Query;
    const wait =
      query.source !== undefined ? { source: query.source, offset: Number(query.offset ?? 0) } : undefined;
    return waitForProgress(store(request.params), wait, Date.now() + context.limits.queryWaitMs);
  });
}
