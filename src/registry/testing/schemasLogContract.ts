import { afterEach, describe, expect, it } from 'vitest';
import type { SchemasRecord } from '../schemasRecords.js';
import type { SchemasLog } from '../schemasLog.js';

/** A fresh topic, and logs reading it. */
export interface SchemasLogFixture {
  /** A new log on the fixture's topic. */
  open(): SchemasLog;
  /** Writes raw bytes to the topic, as another program would. */
  writeRaw(key: string, value: string | null): Promise<void>;
  close(): Promise<void>;
}

const schema = (subject: string, version: number, id: number): SchemasRecord => ({
  keytype: 'SCHEMA',
  subject,
  version,
  value: { subject, version, id, schema: '"string"', deleted: false },
});

/**
 * What every SchemasLog does, whatever keeps the records: run by the in-memory log's unit tests
 * and the Kafka log's integration tests.
 */
export function schemasLogContract(name: string, fixture: () => Promise<SchemasLogFixture>): void {
  describe(`SchemasLog contract: ${name}`, () => {
    let f: SchemasLogFixture;
    const logs: SchemasLog[] = [];
    const open = () => {
      const log = f.open();
      logs.push(log);
      return log;
    };
    const follow = async (log: SchemasLog) => {
      const applied: SchemasRecord[] = [];
      await log.start((r) => applied.push(r));
      return applied;
    };
    afterEach(async () => {
      for (const log of logs.splice(0)) await log.close();
      await f?.close();
    });

    it('start() resolves once every record written before is applied', async () => {
      f = await fixture();
      const writer = open();
      await follow(writer);
      await writer.append([schema('a', 1, 1), schema('a', 2, 2)]);
      await writer.append([{ keytype: 'CONFIG', subject: 'a', value: { compatibilityLevel: 'FULL' } }]);
      const applied = await follow(open());
      expect(applied.filter((r) => r.keytype !== 'NOOP')).toEqual([
        schema('a', 1, 1),
        schema('a', 2, 2),
        { keytype: 'CONFIG', subject: 'a', value: { compatibilityLevel: 'FULL' } },
      ]);
    });

    it('append() resolves once its records are applied by the appending log', async () => {
      f = await fixture();
      const log = open();
      const applied = await follow(log);
      for (let i = 1; i <= 5; i++) {
        await log.append([schema('s', i, i)]);
        expect(applied.filter((r) => r.keytype === 'SCHEMA')).toHaveLength(i);
      }
    });

    it('delivers the same records in the same order to every log on the topic', async () => {
      f = await fixture();
      const a = open();
      const b = open();
      const fromA = await follow(a);
      const fromB = await follow(b);
      await a.append([schema('x', 1, 1)]);
      await b.append([schema('y', 1, 2)]);
      await a.append([{ keytype: 'DELETE_SUBJECT', subject: 'x', value: { subject: 'x', version: 1 } }]);
      const withoutNoops = (records: SchemasRecord[]) => records.filter((r) => r.keytype !== 'NOOP');
      await expect.poll(() => withoutNoops(fromB).length, { timeout: 10_000 }).toBe(3);
      await expect.poll(() => withoutNoops(fromA).length, { timeout: 10_000 }).toBe(3);
      expect(withoutNoops(fromA)).toEqual(withoutNoops(fromB));
    });

    it('skips records it does not read (other key types, garbage)', async () => {
      f = await fixture();
      await f.writeRaw('{"keytype":"MODE","subject":"s","magic":0}', '{"mode":"IMPORT"}');
      await f.writeRaw('not json', 'nor this');
      await f.writeRaw('{"keytype":"CONFIG","magic":0}', '{"compatibilityLevel":"NONE"}');
      const applied = await follow(open());
      expect(applied.filter((r) => r.keytype !== 'NOOP')).toEqual([
        { keytype: 'CONFIG', subject: null, value: { compatibilityLevel: 'NONE' } },
      ]);
    });
  });
}
