import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CleanerMemory } from './cleanerMemory.js';
import { cleanLog } from './cleanLog.js';
import { PartitionLog } from './partitionLog.js';
import { appendRecords, configOf, type KV, logger, options, records, T0 } from './testing/cleanerTestKit.js';
import type { TopicConfig } from './topicConfig.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kes-clean-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('crash safety of the segment swap', () => {
  /**
   * Two copies of a log of four segments, one of them cleaned; returns the first cleaned run (two
   * segments merged) and what a crash during its swap must leave.
   */
  async function prepare() {
    const config = configOf({ 'segment.bytes': '700' });
    const cleanDir = path.join(dir, 'cleaned');
    const crashDir = path.join(dir, 'crashed');
    fs.mkdirSync(cleanDir);
    let log = PartitionLog.open(cleanDir, 't', 0, config, logger);
    for (let round = 0; round < 10; round++) {
      // Shared keys, updated every round, and one key of the round's own, which survives.
      const kvs: KV[] = Array.from({ length: 8 }, (_, k) => [`key-${k}`, `v${round}`]);
      await appendRecords(log, [...kvs, [`only-${round}`, `v${round}`]]);
    }
    log.roll();
    const originalRecords = await records(log);
    log.close();
    fs.cpSync(cleanDir, crashDir, { recursive: true });
    log = PartitionLog.open(cleanDir, 't', 0, config, logger);
    const original = fs.readdirSync(cleanDir).filter((f) => f.endsWith('.log'));
    // Segments of about 660 bytes, cleaned two by two.
    const merging = configOf({ 'segment.bytes': '1500' });
    const result = await cleanLog(log, merging, new CleanerMemory(), options(T0));
    expect(result?.completed).toBe(true);
    const cleanedRecords = await records(log);
    log.close();
    const after = fs.readdirSync(cleanDir).filter((f) => f.endsWith('.log'));
    const end = BigInt(after[1]!.slice(0, 20));
    const replaced = original.filter((f) => BigInt(f.slice(0, 20)) < end);
    expect(replaced.length).toBe(2);
    const cleanedData = fs.readFileSync(path.join(cleanDir, after[0]!));
    const expected = [
      ...cleanedRecords.filter((r) => r.offset < end),
      ...originalRecords.filter((r) => r.offset >= end),
    ];
    expect(expected.length).toBeLessThan(originalRecords.length);
    const swapName = `${'0'.padStart(20, '0')}-${end.toString().padStart(20, '0')}.log`;
    return { config, crashDir, expected, cleanedData, replaced, swapName };
  }

  const reopen = async (crashDir: string, config: TopicConfig) => {
    const log = PartitionLog.open(crashDir, 't', 0, config, logger);
    const out = await records(log);
    log.close();
    return out;
  };

  it('discards an unfinished .cleaned file: the old segments are intact', async () => {
    const { config, crashDir, cleanedData, swapName } = await prepare();
    const before = await reopen(crashDir, config);
    fs.writeFileSync(path.join(crashDir, `${swapName}.cleaned`), cleanedData.subarray(0, 50));
    expect(await reopen(crashDir, config)).toEqual(before);
    expect(fs.readdirSync(crashDir).some((f) => f.endsWith('.cleaned'))).toBe(false);
  });

  it('finishes a swap interrupted before, during or after deleting the old segments', async () => {
    const { config, crashDir, expected, cleanedData, replaced, swapName } = await prepare();
    const pristine = path.join(dir, 'pristine');
    fs.cpSync(crashDir, pristine, { recursive: true });
    for (const deleted of [0, 1, replaced.length]) {
      fs.rmSync(crashDir, { recursive: true });
      fs.cpSync(pristine, crashDir, { recursive: true });
      fs.writeFileSync(path.join(crashDir, `${swapName}.swap`), cleanedData);
      for (const file of replaced.slice(0, deleted)) fs.rmSync(path.join(crashDir, file));
      expect(await reopen(crashDir, config)).toEqual(expected);
      const files = fs.readdirSync(crashDir);
      expect(files.some((f) => f.endsWith('.swap'))).toBe(false);
      expect(files.filter((f) => replaced.includes(f))).toEqual([replaced[0]]);
    }
  });
});
