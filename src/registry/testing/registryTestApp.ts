import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { buildRegistryApp } from '../http/buildRegistryApp.js';
import { MemorySchemasLog } from '../memorySchemasLog.js';
import { RegistryService } from '../registryService.js';
import type { SchemasLog } from '../schemasLog.js';

export interface Answer {
  status: number;
  /** The parsed JSON body (undefined when empty). */
  body: unknown;
  contentType: string | undefined;
  text: string;
}

export interface TestApp {
  app: FastifyInstance;
  service: RegistryService;
  /** Sends a request as the registry client does (its content type on every request). */
  call(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
  close(): Promise<void>;
}

/** The registry's HTTP API over an in-memory log, for app.inject() tests. */
export async function registryTestApp(
  options: { log?: SchemasLog; readOnly?: boolean } = {},
): Promise<TestApp> {
  const logger = pino({ level: process.env.KES_TEST_LOG_LEVEL ?? 'silent' });
  const service = new RegistryService({
    log: options.log ?? new MemorySchemasLog(),
    logger,
    readOnly: options.readOnly,
  });
  await service.start();
  const app = buildRegistryApp(service, logger);
  return {
    app,
    service,
    async call(method, url, body, headers = { 'content-type': 'application/vnd.schemaregistry.v1+json' }) {
      const response = await app.inject({
        method: method as 'GET',
        url,
        headers,
        payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      return {
        status: response.statusCode,
        body: response.body === '' ? undefined : (JSON.parse(response.body) as unknown),
        contentType: response.headers['content-type'] as string | undefined,
        text: response.body,
      };
    },
    async close() {
      await app.close();
      await service.close();
    },
  };
}

/** A record schema's JSON text. */
export function recordSchema(
  name: string,
  fields: { name: string; type: unknown; default?: unknown }[],
): string {
  return JSON.stringify({ type: 'record', name, namespace: 'kes.test', fields });
}
