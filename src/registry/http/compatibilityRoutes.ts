import type { FastifyInstance } from 'fastify';
import * as ops from '../registryOperations.js';
import type { RegistryService } from '../registryService.js';
import { flag } from './queryFlags.js';

interface Params {
  subject: string;
  version?: string;
}

/** /compatibility: would a schema be accepted, without registering it. */
export function compatibilityRoutes(app: FastifyInstance, service: RegistryService): void {
  const handler = async (request: { params: Params; body: ops.SchemaRequest | undefined; query: unknown }) =>
    ops.testCompatibility(service.state, request.params.subject, request.params.version, request.body ?? {}, {
      verbose: flag(request.query, 'verbose'),
    });
  app.post<{ Params: Params; Body: ops.SchemaRequest | undefined }>(
    '/compatibility/subjects/:subject/versions/:version',
    handler,
  );
  app.post<{ Params: Params; Body: ops.SchemaRequest | undefined }>(
    '/compatibility/subjects/:subject/versions',
    handler,
  );
}
