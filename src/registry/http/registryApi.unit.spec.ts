import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalSchema } from '../canonicalSchema.js';
import { MemorySchemasLog, MemorySchemasTopic } from '../memorySchemasLog.js';
import { recordSchema, registryTestApp, type TestApp } from '../testing/registryTestApp.js';

const v1 = recordSchema('Thing', [{ name: 'a', type: 'string' }]);
const v2 = recordSchema('Thing', [
  { name: 'a', type: 'string' },
  { name: 'b', type: 'int', default: 0 },
]);
const v3 = recordSchema('Thing', [
  { name: 'a', type: 'string' },
  { name: 'b', type: 'int', default: 0 },
  { name: 'c', type: ['null', 'string'], default: null },
]);
const other = recordSchema('Other', [{ name: 'x', type: 'long' }]);

let t: TestApp;
beforeEach(async () => {
  t = await registryTestApp();
});
afterEach(() => t.close());

const register = async (subject: string, schema: string) =>
  (await t.call('POST', `/subjects/${encodeURIComponent(subject)}/versions`, { schema })).body;

describe('registering and reading schemas', () => {
  it('answers a registration with exactly {"id"}, and a version with subject, version, id and schema', async () => {
    expect(await register('s', v1)).toEqual({ id: 1 });
    const answer = await t.call('GET', '/subjects/s/versions/1');
    expect(answer.text).toBe(
      JSON.stringify({ subject: 's', version: 1, id: 1, schema: canonicalSchema(v1) }),
    );
    expect((await t.call('GET', '/schemas/ids/1')).text).toBe(
      JSON.stringify({ schema: canonicalSchema(v1) }),
    );
  });

  it('gives the same id to the same schema, whatever its layout, without a new version', async () => {
    expect(await register('s', v1)).toEqual({ id: 1 });
    const relaidOut = JSON.stringify(JSON.parse(v1), null, 4);
    expect(await register('s', relaidOut)).toEqual({ id: 1 });
    expect((await t.call('GET', '/subjects/s/versions')).body).toEqual([1]);
  });

  it('ids are global: another subject reuses the id of the same schema, a new schema gets the next', async () => {
    expect(await register('a', v1)).toEqual({ id: 1 });
    expect(await register('b', other)).toEqual({ id: 2 });
    expect(await register('c', v1)).toEqual({ id: 1 });
    expect(await register('a', v2)).toEqual({ id: 3 });
    expect((await t.call('GET', '/subjects/c/versions/latest')).body).toMatchObject({ version: 1, id: 1 });
    expect((await t.call('GET', '/schemas/ids/1/versions')).body).toEqual([
      { subject: 'a', version: 1 },
      { subject: 'c', version: 1 },
    ]);
    expect((await t.call('GET', '/subjects')).body).toEqual(['a', 'b', 'c']);
  });

  it('reads latest and -1 as the latest version, and the schema alone under /schema', async () => {
    await register('s', v1);
    await register('s', v2);
    expect((await t.call('GET', '/subjects/s/versions/latest')).body).toMatchObject({ version: 2, id: 2 });
    expect((await t.call('GET', '/subjects/s/versions/-1')).body).toMatchObject({ version: 2, id: 2 });
    expect((await t.call('GET', '/subjects/s/versions/1/schema')).text).toBe(canonicalSchema(v1));
    expect((await t.call('GET', '/schemas/ids/2/schema')).text).toBe(canonicalSchema(v2));
  });

  it('looks a schema up under a subject', async () => {
    await register('s', v1);
    await register('s', v2);
    expect((await t.call('POST', '/subjects/s', { schema: v1 })).body).toEqual({
      subject: 's',
      version: 1,
      id: 1,
      schema: canonicalSchema(v1),
    });
  });

  it('stores logical types and custom properties as given (never avsc export)', async () => {
    const schema = JSON.stringify({
      type: 'record',
      name: 'T',
      'x-owner': 'orders',
      fields: [{ name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' }, doc: 'when' }],
    });
    await register('t', schema);
    expect((await t.call('GET', '/schemas/ids/1')).body).toEqual({
      schema:
        '{"type":"record","name":"T","fields":[{"name":"at","type":{"type":"long","logicalType":"timestamp-millis"},' +
        '"doc":"when"}],"x-owner":"orders"}',
    });
  });

  it('registers top-level primitives and unions, as curl users do', async () => {
    expect(await register('p', '"string"')).toEqual({ id: 1 });
    expect(await register('u', '["null","long"]')).toEqual({ id: 2 });
    expect((await t.call('GET', '/schemas/ids/2')).body).toEqual({ schema: '["null","long"]' });
  });

  it('lists the schema types and answers the root and the mode', async () => {
    expect((await t.call('GET', '/schemas/types')).body).toEqual(['AVRO']);
    expect((await t.call('GET', '/')).body).toEqual({});
    expect((await t.call('GET', '/mode')).body).toEqual({ mode: 'READWRITE' });
  });
});

describe('HTTP details', () => {
  it.each([
    'application/vnd.schemaregistry.v1+json',
    'application/vnd.schemaregistry+json',
    'application/json',
    'application/json; charset=utf-8',
    'application/octet-stream',
  ])('reads a body sent as %s, and answers application/vnd.schemaregistry.v1+json', async (type) => {
    const answer = await t.call('POST', '/subjects/s/versions', { schema: v1 }, { 'content-type': type });
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('application/vnd.schemaregistry.v1+json');
  });

  it('reads a body sent without a content type as JSON', async () => {
    const answer = await t.app.inject({
      method: 'POST',
      url: '/subjects/s/versions',
      payload: JSON.stringify({ schema: v1 }),
    });
    expect(answer.statusCode).toBe(200);
  });

  it('accepts the registry content type on GETs (the client sends it on every request)', async () => {
    const answer = await t.call('GET', '/subjects', undefined, {
      'content-type': 'application/vnd.schemaregistry.v1+json',
    });
    expect(answer.status).toBe(200);
  });

  it.each([
    [undefined, 'application/vnd.schemaregistry.v1+json'],
    ['*/*', 'application/vnd.schemaregistry.v1+json'],
    ['application/json', 'application/json'],
    ['application/*', 'application/vnd.schemaregistry.v1+json'],
    ['application/vnd.schemaregistry+json', 'application/vnd.schemaregistry+json'],
    ['application/json, application/vnd.schemaregistry+json; q=0.1', 'application/json'],
    [
      'application/json; q=0.5, application/vnd.schemaregistry+json; q=0.5',
      'application/vnd.schemaregistry+json',
    ],
    ['text/html', 'application/vnd.schemaregistry.v1+json'],
  ])('negotiates the answer type from Accept: %s gets %s', async (accept, type) => {
    const answer = await t.call('GET', '/subjects', undefined, accept === undefined ? {} : { accept });
    expect(answer.contentType).toBe(type);
    const missing = await t.call('GET', '/schemas/ids/9', undefined, accept === undefined ? {} : { accept });
    expect(missing.contentType).toBe(type);
  });

  it('URL-decodes subjects', async () => {
    for (const subject of ['Avro:ThirdLevel', 'with/slash', 'with space', 'ünïcode-€']) {
      await register(subject, v1);
      const answer = await t.call('GET', `/subjects/${encodeURIComponent(subject)}/versions/latest`);
      expect((answer.body as { subject: string }).subject).toBe(subject);
    }
    expect((await t.call('GET', '/subjects/Avro:ThirdLevel/versions')).body).toEqual([1]);
    expect((await t.call('GET', '/subjects')).body).toEqual([
      'Avro:ThirdLevel',
      'with space',
      'with/slash',
      'ünïcode-€',
    ]);
  });

  it('answers HEAD on GET routes, without a body', async () => {
    await register('s', v1);
    const found = await t.app.inject({ method: 'HEAD', url: '/subjects/s/versions/1' });
    expect(found.statusCode).toBe(200);
    expect(found.headers['content-type']).toBe('application/vnd.schemaregistry.v1+json');
    expect(found.body).toBe('');
    expect((await t.app.inject({ method: 'HEAD', url: '/schemas/ids/1' })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'HEAD', url: '/schemas/ids/7' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'HEAD', url: '/subjects/none/versions' })).statusCode).toBe(404);
  });

  it('ignores a trailing slash', async () => {
    expect((await t.call('GET', '/subjects/')).status).toBe(200);
  });
});

describe('compatibility', () => {
  it('checks registrations against the latest version under BACKWARD (the default)', async () => {
    await register('s', v1);
    const dropsA = recordSchema('Thing', [{ name: 'b', type: 'int', default: 0 }]);
    expect(await register('s', dropsA)).toEqual({ id: 2 });
    // BACKWARD checks only the latest: reading v1 data would need a (no default) — not checked.
    const needsA = recordSchema('Thing', [
      { name: 'a', type: 'string' },
      { name: 'b', type: 'int', default: 0 },
    ]);
    expect((await t.call('POST', '/subjects/s/versions', { schema: needsA })).status).toBe(409);
  });

  it('checks every live version under a transitive level, and uses the subject level over the global', async () => {
    await t.call('PUT', '/config', { compatibility: 'NONE' });
    await t.call('PUT', '/config/s', { compatibility: 'BACKWARD_TRANSITIVE' });
    await register('s', v1);
    await register('s', recordSchema('Thing', [{ name: 'b', type: 'int', default: 0 }]));
    const needsA = recordSchema('Thing', [
      { name: 'a', type: 'string' },
      { name: 'b', type: 'int', default: 0 },
    ]);
    const refused = await t.call('POST', '/subjects/s/versions', { schema: needsA });
    expect(refused.status).toBe(409);
    expect((refused.body as { message: string }).message).toContain('{oldSchemaVersion: 2}');
    // Another subject falls back to the global NONE.
    await register('n', v1);
    expect(await register('n', '"string"')).toEqual({ id: 3 });
  });

  it('tests a schema against a version without registering it', async () => {
    await register('s', v1);
    const ok = await t.call('POST', '/compatibility/subjects/s/versions/latest', { schema: v2 });
    expect(ok.text).toBe('{"is_compatible":true}');
    const bad = await t.call('POST', '/compatibility/subjects/s/versions/1?verbose=true', {
      schema: recordSchema('Thing', [{ name: 'z', type: 'int' }]),
    });
    expect(bad.body).toMatchObject({
      is_compatible: false,
      messages: expect.arrayContaining([expect.stringContaining('default-less kes.test.Thing.z')]),
    });
    expect((await t.call('GET', '/subjects/s/versions')).body).toEqual([1]);
  });

  it('tests against the named version only, even under a transitive level', async () => {
    await t.call('PUT', '/config/s', { compatibility: 'BACKWARD_TRANSITIVE' });
    await register('s', v1);
    await register('s', v2);
    // Reads v2 data (a and b present), not v1 data (b missing, no default).
    const needsB = recordSchema('Thing', [
      { name: 'a', type: 'string' },
      { name: 'b', type: 'int' },
    ]);
    const check = async (path: string) =>
      (await t.call('POST', `/compatibility/subjects/s/versions${path}`, { schema: needsB })).body;
    expect(await check('/2')).toEqual({ is_compatible: true });
    expect(await check('/latest')).toEqual({ is_compatible: true });
    expect(await check('/1')).toEqual({ is_compatible: false });
    // Without a version: what registration would check, every version.
    expect(await check('')).toEqual({ is_compatible: false });
  });

  it('calls latest of a missing or emptied subject compatible; a numbered version must exist', async () => {
    expect(
      (await t.call('POST', '/compatibility/subjects/none/versions/latest', { schema: v1 })).body,
    ).toEqual({
      is_compatible: true,
    });
    expect(
      (await t.call('POST', '/compatibility/subjects/none/versions/1', { schema: v1 })).body,
    ).toMatchObject({
      error_code: 40401,
    });
    await register('s', v1);
    expect((await t.call('POST', '/compatibility/subjects/s/versions/2', { schema: v1 })).body).toMatchObject(
      {
        error_code: 40402,
      },
    );
    await t.call('DELETE', '/subjects/s');
    expect(
      (await t.call('POST', '/compatibility/subjects/s/versions/latest', { schema: '"int"' })).body,
    ).toEqual({
      is_compatible: true,
    });
  });
});

describe('config', () => {
  it('has a global level, BACKWARD by default, and subject levels of their own', async () => {
    expect((await t.call('GET', '/config')).text).toBe('{"compatibilityLevel":"BACKWARD"}');
    expect((await t.call('PUT', '/config', { compatibility: 'full' })).text).toBe('{"compatibility":"FULL"}');
    expect((await t.call('GET', '/config')).body).toEqual({ compatibilityLevel: 'FULL' });
    expect((await t.call('GET', '/config/s')).status).toBe(404);
    expect((await t.call('GET', '/config/s?defaultToGlobal=true')).body).toEqual({
      compatibilityLevel: 'FULL',
    });
    expect((await t.call('PUT', '/config/s', { compatibility: 'NONE' })).body).toEqual({
      compatibility: 'NONE',
    });
    expect((await t.call('GET', '/config/s')).text).toBe('{"compatibilityLevel":"NONE"}');
    expect((await t.call('DELETE', '/config/s')).body).toEqual({ compatibilityLevel: 'NONE' });
    expect((await t.call('GET', '/config/s')).status).toBe(404);
    expect((await t.call('DELETE', '/config/s')).body).toMatchObject({ error_code: 40401 });
    expect((await t.call('DELETE', '/config')).body).toEqual({ compatibilityLevel: 'FULL' });
    expect((await t.call('GET', '/config')).body).toEqual({ compatibilityLevel: 'BACKWARD' });
  });

  it("follows the registry client's register(): 404, register, then set the level", async () => {
    expect((await t.call('GET', '/config/s')).status).toBe(404);
    await register('s', v1);
    await t.call('PUT', '/config/s', { compatibility: 'BACKWARD_TRANSITIVE' });
    expect((await t.call('GET', '/config/s')).body).toEqual({ compatibilityLevel: 'BACKWARD_TRANSITIVE' });
  });
});

describe('deletes', () => {
  it('soft-deletes a subject: lookups miss it, its ids still resolve, re-registering continues the versions', async () => {
    await register('s', v1);
    await register('s', v2);
    await t.call('PUT', '/config/s', { compatibility: 'FULL' });
    expect((await t.call('DELETE', '/subjects/s')).body).toEqual([1, 2]);
    expect((await t.call('GET', '/subjects')).body).toEqual([]);
    expect((await t.call('GET', '/subjects?deleted=true')).body).toEqual(['s']);
    expect((await t.call('GET', '/subjects/s/versions')).body).toMatchObject({ error_code: 40401 });
    expect((await t.call('GET', '/subjects/s/versions?deleted=true')).body).toEqual([1, 2]);
    expect((await t.call('GET', '/subjects/s/versions/1')).body).toMatchObject({ error_code: 40401 });
    expect((await t.call('GET', '/subjects/s/versions/1?deleted=true')).body).toMatchObject({
      version: 1,
      id: 1,
    });
    expect((await t.call('POST', '/subjects/s', { schema: v1 })).body).toMatchObject({ error_code: 40401 });
    expect((await t.call('POST', '/subjects/s?deleted=true', { schema: v1 })).body).toMatchObject({
      version: 1,
    });
    expect((await t.call('GET', '/schemas/ids/1')).status).toBe(200);
    expect((await t.call('GET', '/config/s')).status).toBe(404);
    expect(await register('s', v1)).toEqual({ id: 1 });
    expect((await t.call('GET', '/subjects/s/versions')).body).toEqual([3]);
  });

  it('hard-deletes a soft-deleted subject: its versions and unshared ids are gone', async () => {
    await register('gone', v1);
    await register('kept', other);
    await t.call('DELETE', '/subjects/gone');
    expect((await t.call('DELETE', '/subjects/gone?permanent=true')).body).toEqual([1]);
    expect((await t.call('GET', '/subjects?deleted=true')).body).toEqual(['kept']);
    expect((await t.call('GET', '/schemas/ids/1')).body).toMatchObject({ error_code: 40403 });
    expect((await t.call('DELETE', '/subjects/gone')).body).toMatchObject({ error_code: 40401 });
    // Ids are never issued twice: the next schema gets 3, not 1.
    expect(await register('new', v3)).toEqual({ id: 3 });
  });

  it('soft- and hard-deletes single versions', async () => {
    await register('s', v1);
    await register('s', v2);
    await register('s', v3);
    expect((await t.call('DELETE', '/subjects/s/versions/2')).body).toBe(2);
    expect((await t.call('GET', '/subjects/s/versions')).body).toEqual([1, 3]);
    expect((await t.call('DELETE', '/subjects/s/versions/latest')).body).toBe(3);
    expect((await t.call('GET', '/subjects/s/versions/latest')).body).toMatchObject({ version: 1 });
    expect((await t.call('DELETE', '/subjects/s/versions/2?permanent=true')).body).toBe(2);
    expect((await t.call('GET', '/subjects/s/versions?deleted=true')).body).toEqual([1, 3]);
    expect((await t.call('DELETE', '/subjects/s/versions/2?permanent=true')).body).toMatchObject({
      error_code: 40402,
    });
  });

  it('drops the subject level when its last live version is soft-deleted', async () => {
    await register('s', v1);
    await t.call('PUT', '/config/s', { compatibility: 'FULL' });
    await t.call('DELETE', '/subjects/s/versions/1');
    expect((await t.call('GET', '/config/s')).status).toBe(404);
  });
});

describe('two registries on one log', () => {
  it('serve the same ids; a read-only one serves reads and re-registrations, and refuses writes', async () => {
    const topic = new MemorySchemasTopic();
    const writer = await registryTestApp({ log: new MemorySchemasLog(topic) });
    const reader = await registryTestApp({ log: new MemorySchemasLog(topic), readOnly: true });
    try {
      await writer.call('POST', '/subjects/s/versions', { schema: v1 });
      await writer.call('POST', '/subjects/s/versions', { schema: v2 });
      expect((await reader.call('GET', '/subjects/s/versions/2')).body).toMatchObject({ id: 2 });
      expect((await reader.call('GET', '/mode')).body).toEqual({ mode: 'READONLY' });
      expect((await reader.call('POST', '/subjects/s/versions', { schema: v1 })).body).toEqual({ id: 1 });
      expect((await reader.call('POST', '/subjects/s/versions', { schema: v3 })).body).toMatchObject({
        error_code: 42205,
        message: 'Subject s is in read-only mode',
      });
      expect((await reader.call('PUT', '/config', { compatibility: 'NONE' })).body).toMatchObject({
        error_code: 42205,
        message: 'The registry is in read-only mode',
      });
      // A registry started later replays the log to the same state.
      const late = await registryTestApp({ log: new MemorySchemasLog(topic) });
      expect((await late.call('GET', '/subjects/s/versions/latest')).body).toMatchObject({
        version: 2,
        id: 2,
      });
      await late.close();
    } finally {
      await writer.close();
      await reader.close();
    }
  });
});
