import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../../test/support/embeddedBroker.js';
import { startTestRegistry } from '../../test/support/embeddedRegistry.js';
import type { RegistryHandle } from './index.js';

// The behaviours @kafkajs/confluent-schema-registry relies on, over HTTP against the embedded
// registry (and its `_schemas` topic in the embedded broker).

const thing = (fields: object[] = [{ name: 'name', type: 'string' }]) => ({
  type: 'record' as const,
  name: 'Thing',
  namespace: 'kes.client',
  fields,
});

/** The error a call fails with (the client's errors carry the HTTP status). */
async function failure(call: Promise<unknown>): Promise<Error & { status: number }> {
  try {
    await call;
  } catch (err) {
    return err as Error & { status: number };
  }
  throw new Error('expected the call to fail');
}

let broker: TestBroker;
let registry: RegistryHandle;
let client: SchemaRegistry;

beforeAll(async () => {
  broker = await startTestBroker();
  registry = await startTestRegistry(broker);
  client = new SchemaRegistry({ host: registry.url, clientId: 'kes-test' });
});
afterAll(async () => {
  await registry.close();
  await broker.stop();
});

describe('@kafkajs/confluent-schema-registry against the embedded registry', () => {
  it('registers with a compatibility option, and re-registering returns the same id', async () => {
    const subject = 'things-kes.client.Thing';
    const options = { subject, compatibility: COMPATIBILITY.BACKWARD_TRANSITIVE };
    const { id } = await client.register(thing(), options);
    expect(await client.register(thing(), options)).toEqual({ id });
    const config = await fetch(`${registry.url}/config/${subject}`);
    expect(await config.json()).toEqual({ compatibilityLevel: 'BACKWARD_TRANSITIVE' });

    const v2 = thing([
      { name: 'name', type: 'string' },
      { name: 'size', type: 'int', default: 0 },
    ]);
    const second = await client.register(v2, options);
    expect(second.id).toBe(id + 1);
    expect(await client.getLatestSchemaId(subject)).toBe(second.id);
    expect(await client.getRegistryId(subject, 1)).toBe(id);
    expect(await client.getRegistryId(subject, 'latest')).toBe(second.id);
    expect(await client.getRegistryIdBySchema(subject, thing())).toBe(id);
  });

  it('refuses to register when the subject has another level than the option', async () => {
    const subject = 'levels';
    await client.register(thing(), { subject, compatibility: COMPATIBILITY.FULL });
    await expect(
      client.register(thing(), { subject, compatibility: COMPATIBILITY.BACKWARD }),
    ).rejects.toThrow('Compatibility does not match the configuration (BACKWARD != FULL)');
  });

  it("surfaces the registry's 409 with Confluent's message", async () => {
    const subject = 'conflicts';
    await client.register(thing(), { subject });
    const error = await failure(client.register(thing([{ name: 'name', type: 'int' }]), { subject }));
    expect(error.status).toBe(409);
    expect(error.message).toMatch(
      /^kes-test - Schema being registered is incompatible with an earlier schema for subject "conflicts", details: /,
    );
  });

  it('uses namespace.name as the subject when none is given, and URL-encodes odd subjects', async () => {
    const { id } = await client.register(thing([{ name: 'label', type: 'string' }]));
    expect(await client.getLatestSchemaId('kes.client.Thing')).toBe(id);
    const odd = 'Avro:ThirdLevel/with space';
    const registered = await client.register(thing(), { subject: odd });
    expect(await client.getLatestSchemaId(odd)).toBe(registered.id);
  });

  it('encodes in the Confluent wire format and decodes, with and without a reader schema', async () => {
    const { id } = await client.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(thing()) },
      { subject: 'wire', compatibility: COMPATIBILITY.BACKWARD_TRANSITIVE },
    );
    const encoded = await client.encode(id, { name: 'lamp' });
    expect(encoded.subarray(0, 5)).toEqual(Buffer.from([0, 0, 0, 0, id]));
    expect(await client.decode(encoded)).toEqual({ name: 'lamp' });
    const reader = thing([
      { name: 'name', type: 'string' },
      { name: 'colour', type: 'string', default: 'white' },
    ]);
    const fresh = new SchemaRegistry({ host: registry.url });
    expect(await fresh.decode(encoded, { [SchemaType.AVRO]: { readerSchema: reader } })).toEqual({
      name: 'lamp',
      colour: 'white',
    });
  });

  it('gets 404s as errors with a status (what the client tests for)', async () => {
    const error = await failure(client.getLatestSchemaId('nothing-here'));
    expect(error.status).toBe(404);
    expect(error.message).toBe("kes-test - Subject 'nothing-here' not found.");
    await expect(new SchemaRegistry({ host: registry.url }).getSchema(4242)).rejects.toThrow(
      'Schema 4242 not found',
    );
  });
});

describe('the registry over fetch()', () => {
  it('answers GET, HEAD and errors with the registry media type', async () => {
    const subjects = await fetch(`${registry.url}/subjects`, {
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    });
    expect(subjects.status).toBe(200);
    expect(subjects.headers.get('content-type')).toBe('application/vnd.schemaregistry.v1+json');
    expect(await subjects.json()).toEqual(expect.arrayContaining(['things-kes.client.Thing', 'wire']));
    const head = await fetch(`${registry.url}/schemas/ids/1`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const missing = await fetch(`${registry.url}/subjects/${encodeURIComponent('no/such')}/versions/1`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error_code: 40401, message: "Subject 'no/such' not found." });
  });

  it('registers with a JSON body and deletes', async () => {
    const post = await fetch(`${registry.url}/subjects/fetched/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ schema: '"string"' }),
    });
    const { id } = (await post.json()) as { id: number };
    const del = await fetch(`${registry.url}/subjects/fetched`, { method: 'DELETE' });
    expect(await del.json()).toEqual([1]);
    expect(await (await fetch(`${registry.url}/schemas/ids/${id}`)).json()).toEqual({ schema: '"string"' });
  });
});
