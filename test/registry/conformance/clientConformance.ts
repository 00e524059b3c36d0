import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { describe, expect, it } from 'vitest';
import { expectedOn } from './differences.js';
import { call, type RegistryTarget } from './registryTarget.js';
import { fresh, schemas } from './schemaText.js';

// What @kafkajs/confluent-schema-registry (the client kes's serde uses) relies on, through the
// client itself: register() reads GET /config/{subject}, registers, then sets the subject's level;
// lookups by subject, version and schema; the wire format; errors carrying the HTTP status.

/** The error a call fails with (the client's errors carry the HTTP status). */
async function failure(call: Promise<unknown>): Promise<Error & { status: number }> {
  try {
    await call;
  } catch (err) {
    return err as Error & { status: number };
  }
  throw new Error('expected the call to fail');
}

export function clientConformance(target: RegistryTarget): void {
  const client = () => new SchemaRegistry({ host: target.url, clientId: 'kes-test' });
  const thing = (namespace: string, fields: object[] = [{ name: 'name', type: 'string' }]) => ({
    type: 'record' as const,
    name: 'Thing',
    namespace,
    fields,
  });

  describe('@kafkajs/confluent-schema-registry', () => {
    it('registers with a compatibility option, and re-registering returns the same id', async () => {
      const { namespace } = schemas('client');
      const subject = fresh('client');
      const options = { subject, compatibility: COMPATIBILITY.BACKWARD_TRANSITIVE };
      const registry = client();
      const { id } = await registry.register(thing(namespace), options);
      expect(await registry.register(thing(namespace), options)).toEqual({ id });
      expect((await call(target, 'GET', `/config/${subject}`)).body).toEqual({
        compatibilityLevel: 'BACKWARD_TRANSITIVE',
      });
      const v2 = thing(namespace, [
        { name: 'name', type: 'string' },
        { name: 'size', type: 'int', default: 0 },
      ]);
      const second = await registry.register(v2, options);
      expect(second.id).not.toBe(id);
      expect(await registry.getLatestSchemaId(subject)).toBe(second.id);
      expect(await registry.getRegistryId(subject, 1)).toBe(id);
      expect(await registry.getRegistryId(subject, 'latest')).toBe(second.id);
      expect(await registry.getRegistryIdBySchema(subject, thing(namespace))).toBe(id);
    });

    it('refuses to register when the subject has another level than the option', async () => {
      const { namespace } = schemas('levels');
      const subject = fresh('levels');
      await client().register(thing(namespace), { subject, compatibility: COMPATIBILITY.FULL });
      await expect(
        client().register(thing(namespace), { subject, compatibility: COMPATIBILITY.BACKWARD }),
      ).rejects.toThrow('Compatibility does not match the configuration (BACKWARD != FULL)');
    });

    it('registers under a subject some other client registered without a level', async () => {
      // register() compares its option with GET /config/{subject}; a registry that answers a level
      // the subject does not have makes it refuse.
      const { namespace } = schemas('plain');
      const subject = fresh('plain');
      await call(target, 'POST', `/subjects/${subject}/versions`, {
        schema: JSON.stringify(thing(namespace)),
      });
      const registering = client().register(thing(namespace), {
        subject,
        compatibility: COMPATIBILITY.BACKWARD,
      });
      const outcome = await registering.then(
        (registered) => ({ registered: typeof registered.id }),
        (err: Error) => ({ refused: err.message }),
      );
      expect(outcome).toEqual(
        expectedOn<object>(
          target,
          { registered: 'number' },
          {
            apicurio: [
              'subjectLevelFallsBack',
              { refused: 'Compatibility does not match the configuration (BACKWARD != NONE)' },
            ],
          },
        ),
      );
    });

    it("surfaces the registry's 409 with its status", async () => {
      const { namespace } = schemas('conflicts');
      const subject = fresh('conflicts');
      await client().register(thing(namespace), { subject });
      const error = await failure(
        client().register(thing(namespace, [{ name: 'name', type: 'int' }]), { subject }),
      );
      expect(error.status).toBe(409);
    });

    it('uses namespace.name as the subject when none is given, and URL-encodes odd subjects', async () => {
      const { namespace } = schemas('default');
      const registry = client();
      const { id } = await registry.register(thing(namespace));
      expect(await registry.getLatestSchemaId(`${namespace}.Thing`)).toBe(id);
      const odd = fresh('Avro:ThirdLevel/with space');
      const registered = await registry.register(thing(namespace), { subject: odd });
      expect(await registry.getLatestSchemaId(odd)).toBe(registered.id);
    });

    it('encodes in the Confluent wire format and decodes, with and without a reader schema', async () => {
      const { namespace } = schemas('wire');
      const { id } = await client().register(
        { type: SchemaType.AVRO, schema: JSON.stringify(thing(namespace)) },
        { subject: fresh('wire'), compatibility: COMPATIBILITY.BACKWARD_TRANSITIVE },
      );
      const encoded = await client().encode(id, { name: 'lamp' });
      expect(encoded[0]).toBe(0);
      expect(encoded.readInt32BE(1)).toBe(id);
      expect(await client().decode(encoded)).toEqual({ name: 'lamp' });
      const reader = thing(namespace, [
        { name: 'name', type: 'string' },
        { name: 'colour', type: 'string', default: 'white' },
      ]);
      expect(await client().decode(encoded, { [SchemaType.AVRO]: { readerSchema: reader } })).toEqual({
        name: 'lamp',
        colour: 'white',
      });
    });

    it('gets 404s as errors with a status', async () => {
      const error = await failure(client().getLatestSchemaId(fresh('nothing-here')));
      expect(error.status).toBe(404);
      expect((await failure(client().getSchema(987654))).status).toBe(404);
    });
  });
}
