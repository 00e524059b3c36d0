import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../../test/support/embeddedBroker.js';
import { startTestRegistry } from '../../test/support/embeddedRegistry.js';
import type { RegistryHandle } from './index.js';

const schema = (name: string, extra: object[] = []) =>
  JSON.stringify({
    type: 'record',
    name,
    namespace: 'kes.restart',
    fields: [{ name: 'a', type: 'string' }, ...extra],
  });

async function call(url: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.json();
}

/** Everything a client can see of the registry's state. */
async function snapshot(url: string) {
  const subjects = (await call(url, 'GET', '/subjects?deleted=true')) as string[];
  const out: Record<string, unknown> = {
    global: await call(url, 'GET', '/config'),
    live: await call(url, 'GET', '/subjects'),
  };
  for (const subject of subjects) {
    const versions = (await call(url, 'GET', `/subjects/${subject}/versions?deleted=true`)) as number[];
    out[subject] = {
      live: await call(url, 'GET', `/subjects/${subject}/versions`),
      versions: await Promise.all(
        versions.map((v) => call(url, 'GET', `/subjects/${subject}/versions/${v}?deleted=true`)),
      ),
      config: await call(url, 'GET', `/config/${subject}`),
    };
  }
  for (let id = 1; id <= 6; id++) out[`id ${id}`] = await call(url, 'GET', `/schemas/ids/${id}`);
  return out;
}

/** Writes a bit of everything: versions, shared ids, levels, soft and hard deletes. */
async function populate(url: string) {
  await call(url, 'PUT', '/config', { compatibility: 'FULL' });
  await call(url, 'POST', '/subjects/a/versions', { schema: schema('A') });
  await call(url, 'POST', '/subjects/a/versions', {
    schema: schema('A', [{ name: 'b', type: 'int', default: 0 }]),
  });
  await call(url, 'PUT', '/config/a', { compatibility: 'BACKWARD_TRANSITIVE' });
  await call(url, 'POST', '/subjects/shared/versions', { schema: schema('A') });
  await call(url, 'POST', '/subjects/gone/versions', { schema: schema('Gone') });
  // A later id, so that the hard delete does not remove the highest one.
  await call(url, 'POST', '/subjects/soft/versions', { schema: schema('Soft') });
  await call(url, 'DELETE', '/subjects/gone');
  expect(await call(url, 'DELETE', '/subjects/gone?permanent=true')).toEqual([1]);
  await call(url, 'PUT', '/config/soft', { compatibility: 'NONE' });
  await call(url, 'DELETE', '/subjects/soft');
  await call(url, 'DELETE', '/subjects/a/versions/1');
  await call(url, 'POST', '/subjects/last/versions', { schema: schema('Last') });
}

let broker: TestBroker;
const registries: RegistryHandle[] = [];
const start = async (options = {}) => {
  const registry = await startTestRegistry(broker, options);
  registries.push(registry);
  return registry;
};
beforeEach(async () => {
  broker = await startTestBroker();
});
afterEach(async () => {
  for (const r of registries.splice(0)) await r.close();
  await broker.stop();
});

describe('registry restart', () => {
  it('keeps ids, versions, configs and deletes, and issues no id twice', async () => {
    const first = await start();
    await populate(first.url);
    const before = await snapshot(first.url);
    expect(before).toMatchObject({
      global: { compatibilityLevel: 'FULL' },
      live: ['a', 'last', 'shared'],
      a: { live: [2], config: { compatibilityLevel: 'BACKWARD_TRANSITIVE' } },
      soft: { live: { error_code: 40401 }, config: { error_code: 40408 } },
      'id 3': { error_code: 40403 },
    });
    await first.close();

    const second = await start();
    expect(await snapshot(second.url)).toEqual(before);
    // The hard-deleted id 3 is not issued again.
    expect(await call(second.url, 'POST', '/subjects/new/versions', { schema: schema('New') })).toEqual({
      id: 6,
    });
  });

  it('keeps them across a broker restart and a compaction of _schemas', async () => {
    const first = await start();
    await populate(first.url);
    const before = await snapshot(first.url);
    await first.close();
    await broker.restart();
    const cleaned = await broker.broker.hooks.compact({ topic: '_schemas' });
    expect(cleaned.length).toBeGreaterThan(0);
    const second = await start();
    expect(await snapshot(second.url)).toEqual(before);
  });
});

describe('two registries on one broker', () => {
  it('serve the same ids; the read-only one follows the writer', async () => {
    const writer = await start();
    const reader = await start({ readOnly: true });
    await populate(writer.url);
    // The reader applies the same records; wait until it has read the last one.
    await expect
      .poll(async () => call(reader.url, 'GET', '/subjects/last/versions/1'), { timeout: 10_000 })
      .toMatchObject({ id: 5 });
    expect(await snapshot(reader.url)).toEqual(await snapshot(writer.url));
    expect(await call(reader.url, 'POST', '/subjects/x/versions', { schema: '"int"' })).toMatchObject({
      error_code: 42205,
    });
    const late = await start({ readOnly: true });
    expect(await snapshot(late.url)).toEqual(await snapshot(writer.url));
  });
});
