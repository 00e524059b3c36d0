import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegistryHandle } from '../../src/registry/index.js';
import { startTestBroker, type TestBroker } from '../support/embeddedBroker.js';
import { startTestRegistry } from '../support/embeddedRegistry.js';
import { run } from '../support/run.js';
import { tempDir } from '../support/tempDir.js';

const root = path.resolve(import.meta.dirname, '../..');
const kes = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  run(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), ...args], {
    env: { ...process.env, ...env },
  });

/** A copy of the repo's schemas with one file rewritten. */
function schemasWith(file: string, change: (schema: { fields: object[] }) => void): string {
  const dir = tempDir('kes-schemas-');
  fs.cpSync(path.join(root, 'schemas'), dir.path, { recursive: true });
  const target = path.join(dir.path, file);
  const schema = JSON.parse(fs.readFileSync(target, 'utf8')) as { fields: object[] };
  change(schema);
  fs.writeFileSync(target, JSON.stringify(schema, null, 2));
  dirs.push(dir);
  return dir.path;
}

let broker: TestBroker;
let registry: RegistryHandle;
const dirs: { remove: () => void }[] = [];

beforeAll(async () => {
  broker = await startTestBroker();
  registry = await startTestRegistry(broker);
});
afterAll(async () => {
  for (const dir of dirs) dir.remove();
  await registry?.close();
  await broker?.stop();
});

describe('kes schemas register and check', () => {
  it('check, before anything is registered: every subject is new, exit 0', async () => {
    const result = await kes(['schemas', 'check', '--registry', registry.url]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'new           orders.events-kes.orders.OrderPlaced v2: subject not registered yet',
    );
    expect(result.stdout).toContain('52 schemas, all compatible');
  });

  it('register: every version of every schema, with SCHEMA_REGISTRY_URL as the default registry', async () => {
    const result = await kes(['schemas', 'register'], { SCHEMA_REGISTRY_URL: registry.url });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('orders.events-kes.orders.OrderPlaced v1: id');
    expect(result.stdout).toContain(`52 schemas registered in ${registry.url}`);
  });

  it("check passes on the repo's schemas once registered", async () => {
    const result = await kes(['schemas', 'check', '--registry', registry.url]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /registered +orders\.events-kes\.orders\.OrderPlaced v2: version 2, id \d+/,
    );
    expect(result.stdout).toContain('52 schemas, all compatible');
  });

  it('check accepts a compatible change (a field with a default) without registering it', async () => {
    const dir = schemasWith('stock/StockIncreased.avsc', (s) =>
      s.fields.push({ name: 'note', type: ['null', 'string'], default: null, doc: 'A note.' }),
    );
    const result = await kes(['schemas', 'check', '--registry', registry.url, '--dir', dir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'compatible    stock.events-kes.stock.StockIncreased v1: not registered yet',
    );
  });

  it('check fails, with a readable report, on a deliberately incompatible schema', async () => {
    const dir = schemasWith('stock/StockIncreased.avsc', (s) =>
      s.fields.push({ name: 'warehouse', type: 'string', doc: 'Where the units went; no default.' }),
    );
    const result = await kes(['schemas', 'check', '--registry', registry.url, '--dir', dir]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'INCOMPATIBLE  stock.events-kes.stock.StockIncreased v1: cannot be registered over version 1: ' +
        'The new schema cannot read data written with version 1: ' +
        'no matching field for default-less kes.stock.StockIncreased.warehouse',
    );
    expect(result.stdout).toContain('52 schemas, 1 incompatible');
  });

  it('check fails on a current schema incompatible with its own history', async () => {
    const dir = schemasWith('orders/OrderPlaced.avsc', (s) =>
      s.fields.push({ name: 'channel', type: 'string', doc: 'Where the order came from; no default.' }),
    );
    const result = await kes(['schemas', 'check', '--registry', registry.url, '--dir', dir]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /INCOMPATIBLE +orders\.events-kes\.orders\.OrderPlaced v2: against its history: /,
    );
  });

  it('reports an unreachable registry and exits 1', async () => {
    const result = await kes(['schemas', 'check', '--registry', 'http://127.0.0.1:1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('kes: cannot reach the schema registry at http://127.0.0.1:1');
  });
});
