import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REGISTRY_ERRORS, type RegistryErrorCode } from '../errors.js';
import { MemorySchemasLog } from '../memorySchemasLog.js';
import type { SchemasRecord } from '../schemasRecords.js';
import { type SchemasLog, SchemasLogTimeout } from '../schemasLog.js';
import { type Answer, recordSchema, registryTestApp, type TestApp } from '../testing/registryTestApp.js';

const v1 = recordSchema('Thing', [{ name: 'a', type: 'string' }]);
const v2 = recordSchema('Thing', [
  { name: 'a', type: 'string' },
  { name: 'b', type: 'int', default: 0 },
]);
const incompatible = recordSchema('Thing', [{ name: 'a', type: 'int' }]);

/** A log whose appends fail the given way. */
function failingLog(error: Error): SchemasLog {
  const log = new MemorySchemasLog();
  return {
    start: (apply) => log.start(apply),
    append: async (records: SchemasRecord[]) => {
      void records;
      throw error;
    },
    close: () => log.close(),
  };
}

let t: TestApp;
afterEach(() => t?.close());

async function withThing(): Promise<TestApp> {
  t = await registryTestApp();
  expect((await t.call('POST', '/subjects/s/versions', { schema: v1 })).body).toEqual({ id: 1 });
  return t;
}

/**
 * One case per error code: the request that gets it and the exact body. Messages are Confluent's,
 * which clients (and their tests) match on.
 */
const cases: {
  code: RegistryErrorCode;
  name: string;
  run: () => Promise<Answer>;
  message: string | RegExp;
}[] = [
  {
    code: 400,
    name: 'malformed JSON',
    run: async () =>
      (t = await registryTestApp()).call('POST', '/subjects/s/versions', '{bad', {
        'content-type': 'application/json',
      }),
    message: /^Expected property name/,
  },
  {
    code: 404,
    name: 'no such endpoint',
    run: async () => (t = await registryTestApp()).call('GET', '/nowhere'),
    message: 'HTTP 404 Not Found',
  },
  {
    code: 40401,
    name: 'subject not found',
    run: async () => (t = await registryTestApp()).call('GET', '/subjects/missing/versions'),
    message: "Subject 'missing' not found.",
  },
  {
    code: 40402,
    name: 'version not found',
    run: async () => (await withThing()).call('GET', '/subjects/s/versions/9'),
    message: 'Version 9 not found.',
  },
  {
    code: 40403,
    name: 'schema id not found',
    run: async () => (t = await registryTestApp()).call('GET', '/schemas/ids/99'),
    message: 'Schema 99 not found',
  },
  {
    code: 40403,
    name: 'schema not registered under the subject',
    run: async () => (await withThing()).call('POST', '/subjects/s', { schema: v2 }),
    message: 'Schema not found',
  },
  {
    code: 40404,
    name: 'subject soft-deleted twice',
    run: async () => {
      await (await withThing()).call('DELETE', '/subjects/s');
      return t.call('DELETE', '/subjects/s');
    },
    message: "Subject 's' was soft deleted.Set permanent=true to delete permanently",
  },
  {
    code: 40405,
    name: 'subject hard-deleted without a soft delete',
    run: async () => (await withThing()).call('DELETE', '/subjects/s?permanent=true'),
    message: "Subject 's' was not deleted first before being permanently deleted",
  },
  {
    code: 40406,
    name: 'version soft-deleted twice',
    run: async () => {
      await (await withThing()).call('POST', '/subjects/s/versions', { schema: v2 });
      await t.call('DELETE', '/subjects/s/versions/1');
      return t.call('DELETE', '/subjects/s/versions/1');
    },
    message: "Subject 's' Version 1 was soft deleted.Set permanent=true to delete permanently",
  },
  {
    code: 40407,
    name: 'version hard-deleted without a soft delete',
    run: async () => (await withThing()).call('DELETE', '/subjects/s/versions/1?permanent=true'),
    message: "Subject 's' Version 1 was not deleted first before being permanently deleted",
  },
  {
    code: 40408,
    name: 'subject without a level of its own',
    run: async () => (await withThing()).call('GET', '/config/s'),
    message: "Subject 's' does not have subject-level compatibility configured",
  },
  {
    code: 409,
    name: 'incompatible schema',
    run: async () => (await withThing()).call('POST', '/subjects/s/versions', { schema: incompatible }),
    message:
      'Schema being registered is incompatible with an earlier schema for subject "s", details: ' +
      "[{errorType:'READER_INCOMPATIBLE', description:'The new schema cannot read data written with version 1: " +
      `cannot read "string" as "int"'}, {oldSchemaVersion: 1}, {oldSchema: '${v1}'}, {compatibility: 'BACKWARD'}]`,
  },
  {
    code: 415,
    name: 'unsupported media type',
    run: async () =>
      (t = await registryTestApp()).call(
        'POST',
        '/subjects/s/versions',
        { schema: v1 },
        { 'content-type': 'text/plain' },
      ),
    message: 'HTTP 415 Unsupported Media Type',
  },
  {
    code: 42201,
    name: 'invalid schema',
    run: async () =>
      (t = await registryTestApp()).call('POST', '/subjects/s/versions', { schema: '{"type":"record"}' }),
    message: 'Invalid schema: missing name property in schema: {"type":"record"}',
  },
  {
    code: 42201,
    name: 'schema that is not JSON',
    run: async () => (t = await registryTestApp()).call('POST', '/subjects/s/versions', { schema: '{' }),
    message: /^Invalid schema: not JSON: /,
  },
  {
    code: 42201,
    name: 'invalid default',
    run: async () =>
      (t = await registryTestApp()).call('POST', '/subjects/s/versions', {
        schema: recordSchema('R', [{ name: 'a', type: 'int', default: 'x' }]),
      }),
    message: 'Invalid schema: incompatible field default "x" (invalid "int": "x")',
  },
  {
    code: 42201,
    name: 'schema type other than AVRO',
    run: async () =>
      (t = await registryTestApp()).call('POST', '/subjects/s/versions', {
        schema: '{}',
        schemaType: 'JSON',
      }),
    message: 'Invalid schema: schema type JSON is not supported, only AVRO',
  },
  {
    code: 42201,
    name: 'schema references',
    run: async () =>
      (t = await registryTestApp()).call('POST', '/subjects/s/versions', {
        schema: v1,
        references: [{ name: 'x', subject: 'y', version: 1 }],
      }),
    message: 'Invalid schema: schema references are not supported',
  },
  {
    code: 42201,
    name: 'no schema in the body',
    run: async () => (t = await registryTestApp()).call('POST', '/subjects/s/versions', {}),
    message: 'Invalid schema: empty schema',
  },
  {
    code: 42201,
    name: 'a schema given as an object rather than a string',
    run: async () =>
      (t = await registryTestApp()).call('POST', '/subjects/s/versions', { schema: { type: 'string' } }),
    message: 'Invalid schema: the schema must be given as a JSON string',
  },
  {
    code: 42202,
    name: 'invalid version',
    run: async () => (await withThing()).call('GET', '/subjects/s/versions/0'),
    message:
      "The specified version '0' is not a valid version id. " +
      'Allowed values are between [1, 2^31-1] and the string "latest"',
  },
  {
    code: 42203,
    name: 'invalid compatibility level',
    run: async () => (t = await registryTestApp()).call('PUT', '/config', { compatibility: 'SIDEWAYS' }),
    message:
      'Invalid compatibility level. Valid values are none, backward, forward, full, ' +
      'backward_transitive, forward_transitive, and full_transitive',
  },
  {
    code: 42205,
    name: 'id in a registration',
    run: async () =>
      (t = await registryTestApp()).call('POST', '/subjects/s/versions', { schema: v1, id: 5 }),
    message: 'Subject s is not in import mode',
  },
  {
    code: 42205,
    name: 'write to a read-only registry',
    run: async () =>
      (t = await registryTestApp({ readOnly: true })).call('POST', '/subjects/s/versions', { schema: v1 }),
    message: 'Subject s is in read-only mode',
  },
  {
    code: 42205,
    name: 'hard delete of the highest id',
    run: async () => {
      await (await withThing()).call('DELETE', '/subjects/s');
      return t.call('DELETE', '/subjects/s?permanent=true');
    },
    message:
      'Schema 1 is the highest id issued and cannot be deleted permanently, or the id would be issued ' +
      'again after a restart; register another schema first',
  },
  {
    code: 50001,
    name: 'store failure',
    run: async () =>
      (t = await registryTestApp({ log: failingLog(new Error('broker down')) })).call(
        'POST',
        '/subjects/s/versions',
        {
          schema: v1,
        },
      ),
    message: 'Register schema operation failed while writing to the Kafka store',
  },
  {
    code: 50002,
    name: 'write not read back in time',
    run: async () =>
      (t = await registryTestApp({ log: failingLog(new SchemasLogTimeout('late')) })).call(
        'PUT',
        '/config/s',
        {
          compatibility: 'FULL',
        },
      ),
    message: 'Update compatibility level operation timed out',
  },
  {
    code: 500,
    name: 'unexpected failure',
    run: async () => {
      t = await registryTestApp();
      t.service.state.subjectNames = () => {
        throw new Error('a bug');
      };
      return t.call('GET', '/subjects');
    },
    message: 'Internal Server Error',
  },
];

describe('registry errors: every code, with its HTTP status and message', () => {
  it.each(cases.map((c) => [c.code, c.name, c] as const))('%i %s', async (code, _name, c) => {
    const answer = await c.run();
    expect(answer.status).toBe(REGISTRY_ERRORS[code].status);
    expect(answer.contentType).toBe('application/vnd.schemaregistry.v1+json');
    const body = answer.body as { error_code: number; message: string };
    expect(Object.keys(body)).toEqual(['error_code', 'message']);
    expect(body.error_code).toBe(code);
    if (typeof c.message === 'string') expect(body.message).toBe(c.message);
    else expect(body.message).toMatch(c.message);
  });

  it('has a case for every code in the catalog', () => {
    const covered = new Set(cases.map((c) => c.code));
    expect(
      Object.keys(REGISTRY_ERRORS)
        .map(Number)
        .filter((code) => !covered.has(code as RegistryErrorCode)),
    ).toEqual([]);
  });

  it('documents every code in docs/registry.md', () => {
    const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../../docs/registry.md'), 'utf8');
    const undocumented = Object.keys(REGISTRY_ERRORS).filter((code) => !doc.includes(`| ${code} |`));
    expect(undocumented).toEqual([]);
  });

  it('answers HTTP status = first three digits of the code', () => {
    for (const [code, { status }] of Object.entries(REGISTRY_ERRORS))
      expect(String(code).slice(0, 3)).toBe(String(status));
  });
});
