import { describe, expect, it } from 'vitest';
import { expectedOn } from './differences.js';
import { call, type ErrorCode, expectError, type RegistryTarget } from './registryTarget.js';
import { fresh, schemas } from './schemaText.js';

// Registering, reading and looking up schemas: Confluent's API reference, "Schemas" and "Subjects".

const register = async (target: RegistryTarget, subject: string, schema: string) => {
  const answer = await call(target, 'POST', `/subjects/${encodeURIComponent(subject)}/versions`, { schema });
  expect(answer.status, answer.text).toBe(200);
  return (answer.body as { id: number }).id;
};

export function schemasConformance(target: RegistryTarget): void {
  describe('registering and reading schemas', () => {
    it('answers a registration with exactly {"id"}, a version with subject, version, id and schema', async () => {
      const { record } = schemas('read');
      const v1 = record([{ name: 'a', type: 'string' }]);
      const subject = fresh('read');
      const registered = await call(target, 'POST', `/subjects/${subject}/versions`, { schema: v1 });
      expect(registered.status).toBe(200);
      expect(Object.keys(registered.body as object)).toEqual(['id']);
      const { id } = registered.body as { id: number };
      expect(Number.isInteger(id)).toBe(true);
      expect((await call(target, 'GET', `/subjects/${subject}/versions/1`)).body).toEqual({
        subject,
        version: 1,
        id,
        schema: v1,
      });
      expect((await call(target, 'GET', `/schemas/ids/${id}`)).body).toEqual({ schema: v1 });
      expect((await call(target, 'GET', `/subjects/${subject}/versions`)).body).toEqual([1]);
    });

    it('gives the same id to the same schema, whatever its layout, without a new version', async () => {
      const { record } = schemas('same');
      const v1 = record([{ name: 'a', type: 'string' }]);
      const subject = fresh('same');
      const id = await register(target, subject, v1);
      expect(await register(target, subject, JSON.stringify(JSON.parse(v1), null, 4))).toBe(id);
      expect((await call(target, 'GET', `/subjects/${subject}/versions`)).body).toEqual([1]);
    });

    it('ids are global: another subject gets the same id for the same schema, a new schema another', async () => {
      const { record } = schemas('global');
      const v1 = record([{ name: 'a', type: 'string' }]);
      const [a, b] = [fresh('global-a'), fresh('global-b')];
      const id = await register(target, a, v1);
      expect(await register(target, b, v1)).toBe(id);
      const other = await register(
        target,
        fresh('global-c'),
        record([{ name: 'x', type: 'long', default: 0 }], 'Other'),
      );
      expect(other).not.toBe(id);
      expect((await call(target, 'GET', `/subjects/${b}/versions/latest`)).body).toMatchObject({
        version: 1,
        id,
      });
      expect((await call(target, 'GET', `/schemas/ids/${id}/versions`)).body).toEqual([
        { subject: a, version: 1 },
        { subject: b, version: 1 },
      ]);
      expect((await call(target, 'GET', '/subjects')).body).toEqual(expect.arrayContaining([a, b]));
    });

    it('reads latest and -1 as the latest version, and the schema alone under /schema', async () => {
      const { record } = schemas('latest');
      const v1 = record([{ name: 'a', type: 'string' }]);
      const v2 = record([
        { name: 'a', type: 'string' },
        { name: 'b', type: 'int', default: 0 },
      ]);
      const subject = fresh('latest');
      await register(target, subject, v1);
      const id2 = await register(target, subject, v2);
      for (const version of ['latest', '-1'])
        expect((await call(target, 'GET', `/subjects/${subject}/versions/${version}`)).body).toMatchObject({
          version: 2,
          id: id2,
        });
      expect((await call(target, 'GET', `/subjects/${subject}/versions/1/schema`)).text).toBe(v1);
      expect((await call(target, 'GET', `/schemas/ids/${id2}/schema`)).text).toBe(v2);
    });

    it('looks a schema up under a subject: 40403 when not registered there, 40401 without the subject', async () => {
      const { record } = schemas('lookup');
      const v1 = record([{ name: 'a', type: 'string' }]);
      const subject = fresh('lookup');
      const id = await register(target, subject, v1);
      expect((await call(target, 'POST', `/subjects/${subject}`, { schema: v1 })).body).toEqual({
        subject,
        version: 1,
        id,
        schema: v1,
      });
      const unknown = record([{ name: 'z', type: 'string' }]);
      expectError(await call(target, 'POST', `/subjects/${subject}`, { schema: unknown }), 40403);
      expectError(await call(target, 'POST', `/subjects/${fresh('none')}`, { schema: v1 }), 40401);
    });

    it('keeps logical types and custom properties', async () => {
      const { namespace } = schemas('logical');
      const schema = {
        type: 'record',
        name: 'T',
        namespace,
        fields: [{ name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' }, doc: 'when' }],
        'x-owner': 'orders',
      };
      const id = await register(target, fresh('logical'), JSON.stringify(schema));
      const stored = (await call(target, 'GET', `/schemas/ids/${id}`)).body as { schema: string };
      expect(JSON.parse(stored.schema)).toEqual(schema);
    });

    it('answers the text of a schema registered with another layout and key order', async () => {
      const { namespace } = schemas('layout');
      const given = `{ "fields": [ { "type": "string", "name": "a" } ], "name": "Thing", "namespace": "${namespace}", "type": "record" }`;
      const id = await register(target, fresh('layout'), given);
      const canonical = JSON.stringify({
        type: 'record',
        name: 'Thing',
        namespace,
        fields: [{ name: 'a', type: 'string' }],
      });
      // The reference does not say; Confluent's registry answers Avro's Java Schema.toString(), and
      // so do both registries here.
      expect((await call(target, 'GET', `/schemas/ids/${id}`)).body).toEqual({ schema: canonical });
    });

    it("registers a schema that references another subject's, and lists who references it", async () => {
      const { namespace, record } = schemas('refs');
      const address = record([{ name: 'city', type: 'string' }], 'Address');
      const [addresses, customers] = [fresh('addresses'), fresh('customers')];
      await register(target, addresses, address);
      const customer = record([{ name: 'address', type: `${namespace}.Address` }], 'Customer');
      const references = [{ name: `${namespace}.Address`, subject: addresses, version: 1 }];
      const registered = await call(target, 'POST', `/subjects/${customers}/versions`, {
        schema: customer,
        references,
      });
      const outcome = expectedOn<object>(
        target,
        { status: 200 },
        {
          kes: ['references', { status: 422, body: { error_code: 42201 } }],
        },
      );
      expect({ status: registered.status, body: registered.body }).toMatchObject(outcome);
      if (registered.status !== 200) return;
      const { id } = registered.body as { id: number };
      expect((await call(target, 'GET', `/subjects/${customers}/versions/1`)).body).toMatchObject({
        id,
        references,
      });
      expect((await call(target, 'GET', `/subjects/${addresses}/versions/1/referencedby`)).body).toEqual([
        id,
      ]);
    });

    it('registers top-level primitives and unions', async () => {
      const primitive = await register(target, fresh('primitive'), '"string"');
      expect(
        JSON.parse(
          ((await call(target, 'GET', `/schemas/ids/${primitive}`)).body as { schema: string }).schema,
        ),
      ).toBe('string');
      const union = await register(target, fresh('union'), '["null","long"]');
      expect((await call(target, 'GET', `/schemas/ids/${union}`)).body).toEqual({
        schema: '["null","long"]',
      });
    });

    it('lists AVRO among the schema types', async () => {
      expect((await call(target, 'GET', '/schemas/types')).body).toEqual(expect.arrayContaining(['AVRO']));
    });

    it('URL-decodes subjects', async () => {
      const { record } = schemas('decode');
      const v1 = record([{ name: 'a', type: 'string' }]);
      const suffix = fresh('');
      for (const subject of ['Avro:ThirdLevel', 'with/slash', 'with space', 'ünïcode-€'].map(
        (s) => s + suffix,
      )) {
        await register(target, subject, v1);
        const answer = await call(target, 'GET', `/subjects/${encodeURIComponent(subject)}/versions/latest`);
        expect((answer.body as { subject: string }).subject).toBe(subject);
      }
    });
  });

  describe('errors when reading', () => {
    it('40401 for a subject that does not exist', async () => {
      const subject = fresh('missing');
      expectError(await call(target, 'GET', `/subjects/${subject}/versions`), 40401);
      expectError(await call(target, 'GET', `/subjects/${subject}/versions/1`), 40401);
    });

    it('40402 for a version that does not exist, 42202 for one that cannot', async () => {
      const { record } = schemas('versions');
      const subject = fresh('versions');
      await register(target, subject, record([{ name: 'a', type: 'string' }]));
      expectError(await call(target, 'GET', `/subjects/${subject}/versions/9`), 40402);
      const zero = await call(target, 'GET', `/subjects/${subject}/versions/0`);
      expectError(zero, ...expectedOn<ErrorCode>(target, [42202], { apicurio: ['invalidVersion', [40402]] }));
    });

    it('40403 for a schema id that does not exist', async () => {
      expectError(await call(target, 'GET', '/schemas/ids/987654'), 40403);
    });

    it('42201 for a schema that does not parse, misses its name, has a wrong default, or is missing', async () => {
      const subject = fresh('invalid');
      const { record } = schemas('invalid');
      for (const schema of ['{', '{"type":"record"}', record([{ name: 'a', type: 'int', default: 'x' }])])
        expectError(await call(target, 'POST', `/subjects/${subject}/versions`, { schema }), 42201);
      const empty = await call(target, 'POST', `/subjects/${subject}/versions`, {});
      expectError(empty, ...expectedOn<ErrorCode>(target, [42201], { apicurio: ['emptySchema', [0, 500]] }));
    });
  });
}
