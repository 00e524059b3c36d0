import type { FastifyInstance } from 'fastify';
import * as ops from '../registryOperations.js';
import type { RegistryService } from '../registryService.js';
import { flag, text } from './queryFlags.js';

interface SubjectParams {
  subject: string;
}
interface VersionParams extends SubjectParams {
  version: string;
}

/** /subjects: list, register, look up, read and delete versions. */
export function subjectRoutes(app: FastifyInstance, service: RegistryService): void {
  const { state } = service;

  app.get('/subjects', async (request) => {
    const prefix = text(request.query, 'subjectPrefix') ?? '';
    return state
      .subjectNames({ deleted: flag(request.query, 'deleted') })
      .filter((s) => s.startsWith(prefix));
  });

  app.get<{ Params: SubjectParams }>('/subjects/:subject/versions', async (request) =>
    ops.listVersions(state, request.params.subject, { deleted: flag(request.query, 'deleted') }),
  );

  app.post<{ Params: SubjectParams; Body: ops.SchemaRequest | undefined }>(
    '/subjects/:subject/versions',
    async (request) => {
      const { subject } = request.params;
      return service.write('Register schema', subject, () =>
        ops.register(state, subject, request.body ?? {}),
      );
    },
  );

  app.get<{ Params: VersionParams }>('/subjects/:subject/versions/:version', async (request) => {
    const { subject, version } = request.params;
    return ops.getVersion(state, subject, version, { deleted: flag(request.query, 'deleted') });
  });

  app.get<{ Params: VersionParams }>('/subjects/:subject/versions/:version/schema', async (request) => {
    const { subject, version } = request.params;
    return ops.getVersion(state, subject, version, { deleted: flag(request.query, 'deleted') }).schema;
  });

  app.delete<{ Params: VersionParams }>('/subjects/:subject/versions/:version', async (request) => {
    const { subject, version } = request.params;
    const permanent = flag(request.query, 'permanent');
    return service.write('Delete Schema Version', subject, () =>
      ops.deleteVersion(state, subject, version, permanent),
    );
  });

  app.post<{ Params: SubjectParams; Body: ops.SchemaRequest | undefined }>(
    '/subjects/:subject',
    async (request) =>
      ops.lookup(state, request.params.subject, request.body ?? {}, {
        deleted: flag(request.query, 'deleted'),
      }),
  );

  app.delete<{ Params: SubjectParams }>('/subjects/:subject', async (request) => {
    const { subject } = request.params;
    const permanent = flag(request.query, 'permanent');
    return service.write('Delete subject', subject, () => ops.deleteSubject(state, subject, permanent));
  });
}
