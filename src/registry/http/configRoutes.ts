import type { FastifyInstance } from 'fastify';
import * as ops from '../registryOperations.js';
import type { RegistryService } from '../registryService.js';
import { flag } from './queryFlags.js';

interface SubjectParams {
  subject: string;
}
type ConfigBody = { compatibility?: unknown } | undefined;

/** /config: the global compatibility level and each subject's own. */
export function configRoutes(app: FastifyInstance, service: RegistryService): void {
  const { state } = service;
  const operation = 'Update compatibility level';

  app.get('/config', async () => ops.getConfig(state, null));

  app.put<{ Body: ConfigBody }>('/config', async (request) =>
    service.write(operation, null, () => ops.setConfig(state, null, request.body ?? {})),
  );

  app.delete('/config', async () =>
    service.write('Delete compatibility level', null, () => ops.deleteConfig(state, null)),
  );

  app.get<{ Params: SubjectParams }>('/config/:subject', async (request) =>
    ops.getConfig(state, request.params.subject, { defaultToGlobal: flag(request.query, 'defaultToGlobal') }),
  );

  app.put<{ Params: SubjectParams; Body: ConfigBody }>('/config/:subject', async (request) => {
    const { subject } = request.params;
    return service.write(operation, subject, () => ops.setConfig(state, subject, request.body ?? {}));
  });

  app.delete<{ Params: SubjectParams }>('/config/:subject', async (request) => {
    const { subject } = request.params;
    return service.write('Delete compatibility level', subject, () => ops.deleteConfig(state, subject));
  });
}
