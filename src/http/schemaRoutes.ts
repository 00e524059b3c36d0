import type { FastifyInstance } from 'fastify';
import { RegistryHttpError } from '../serde/registryHttp.js';
import type { ApiContext } from './apiContext.js';
import { ApiError } from './apiErrors.js';
import { errorResponses } from './errorSchema.js';

type Query = Record<string, string | undefined>;

/** A version in a path or query: a positive integer; INVALID_REQUEST naming `field` else. */
function versionParam(value: string | undefined, field: string): number {
  const version = Number(value);
  if (value === undefined || !/^\d{1,9}$/.test(value) || version < 1) {
    throw new ApiError('INVALID_REQUEST', `${field} must be a version number (1, 2, …)`, { field });
  }
  return version;
}

/**
 * What the registry said, as the API's errors: no such subject or version is NOT_FOUND, a request
 * it refused INVALID_REQUEST; a registry out of reach stays as it is (UNAVAILABLE, buildApi.ts).
 */
async function asked<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof RegistryHttpError && !err.unavailable) {
      if (err.status === 404) throw new ApiError('NOT_FOUND', err.message, { registryCode: err.errorCode });
      if (err.status === 422)
        throw new ApiError('INVALID_REQUEST', err.message, { registryCode: err.errorCode });
    }
    throw err;
  }
}

/**
 * The schemas of the instance's registry, read over its REST API with the instance's URL and
 * auth: the subjects with their versions and compatibility level, one version's schema, and the
 * registry's check of one version against another.
 */
export function schemaRoutes(api: FastifyInstance, context: ApiContext): void {
  const { registry } = context.operations;
  const tags = ['admin'];
  const subjectParams = { type: 'object', properties: { subject: { type: 'string' } } };

  api.get(
    '/admin/schemas',
    {
      schema: {
        tags,
        summary: "The registry's subjects, each with its versions and compatibility level",
        response: errorResponses(503),
      },
    },
    async () => {
      const subjects = await asked(() => registry.subjects());
      return {
        subjects: await Promise.all(
          subjects.sort().map(async (subject) => {
            const [versions, compatibility] = await Promise.all([
              asked(() => registry.versions(subject)),
              asked(() => registry.compatibilityLevel(subject)),
            ]);
            return { subject, versions: versions ?? [], compatibility };
          }),
        ),
      };
    },
  );

  api.get(
    '/admin/schemas/:subject/versions/:version',
    {
      schema: {
        tags,
        summary: 'A version of a subject: its id and schema (canonical JSON text, as the registry gives it)',
        params: { type: 'object', properties: { subject: { type: 'string' }, version: { type: 'string' } } },
        response: errorResponses(400, 404, 503),
      },
    },
    async (request) => {
      const params = request.params as { subject: string; version: string };
      const version = versionParam(params.version, 'version');
      const found = await asked(() => registry.schema(params.subject, version));
      return { subject: found.subject, version: found.version, id: found.id, schema: found.schema };
    },
  );

  api.get(
    '/admin/schemas/:subject/compatibility',
    {
      schema: {
        tags,
        summary:
          "The registry's compatibility check of one version's schema against another, under the subject's level",
        params: subjectParams,
        querystring: {
          type: 'object',
          properties: {
            version: { type: 'string', description: 'The version checked' },
            against: { type: 'string', description: 'The version it is checked against' },
          },
        },
        response: errorResponses(400, 404, 503),
      },
    },
    async (request) => {
      const { subject } = request.params as { subject: string };
      const query = request.query as Query;
      const version = versionParam(query.version, 'version');
      const against = versionParam(query.against, 'against');
      const [{ schema }, level] = await Promise.all([
        asked(() => registry.schema(subject, version)),
        asked(() => registry.compatibilityLevel(subject)),
      ]);
      const messages = await asked(() => registry.incompatibilities(subject, against, schema));
      return {
        subject,
        version,
        against,
        compatible: messages === undefined,
        level,
        messages: messages ?? [],
      };
    },
  );
}
