import type { FastifyInstance } from 'fastify';
import * as ops from '../registryOperations.js';
import type { RegistryService } from '../registryService.js';
import { flag } from './queryFlags.js';

interface IdParams {
  id: string;
}

/** /schemas by global id, the schema types, the registry's mode, and the root. */
export function schemaRoutes(app: FastifyInstance, service: RegistryService): void {
  const { state } = service;

  app.get('/', async () => ({}));

  app.get('/schemas/types', async () => ['AVRO']);

  app.get<{ Params: IdParams }>('/schemas/ids/:id', async (request) =>
    ops.schemaById(state, request.params.id),
  );

  app.get<{ Params: IdParams }>(
    '/schemas/ids/:id/schema',
    async (request) => ops.schemaById(state, request.params.id).schema,
  );

  app.get<{ Params: IdParams }>('/schemas/ids/:id/versions', async (request) =>
    ops.versionsOfId(state, request.params.id, { deleted: flag(request.query, 'deleted') }),
  );

  app.get('/mode', async () => ({ mode: service.readOnly ? 'READONLY' : 'READWRITE' }));
}
