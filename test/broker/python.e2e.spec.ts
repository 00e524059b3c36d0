import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumeAll } from '../support/consumeAll.js';
import { startTestBroker, type TestBroker } from '../support/embeddedBroker.js';
import { run } from '../support/run.js';

/** Python's kafka client (Debian's python3-kafka, run with the system interpreter). */
const PYTHON = '/usr/bin/python3';
const script = path.join(import.meta.dirname, 'python', 'roundtrip.py');

let t: TestBroker;

beforeAll(async () => {
  t = await startTestBroker();
  const admin = t.kafka().admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'py', numPartitions: 3 }] });
  await admin.disconnect();
});
afterAll(() => t.stop());

interface PythonResult {
  produced: [number, number][];
  consumed: { partition: number; offset: number; key: string; value: string; headers: [string, string][] }[];
  committed: Record<string, number>;
}

describe('kafka-python', () => {
  it('produces, then consumes in a group and commits', async () => {
    const result = await run(PYTHON, [script, t.broker.bootstrap, 'py', 'py-group', '60'], {
      timeoutMs: 120_000,
    });
    expect(result.stderr).not.toMatch(/Traceback/);
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as PythonResult;
    expect(out.produced).toHaveLength(60);
    expect(out.consumed.map((m) => m.value).sort()).toEqual(
      Array.from({ length: 60 }, (_, i) => `python ${i}`).sort(),
    );
    expect(out.consumed.find((m) => m.key === 'key-7')!.headers).toEqual([
      ['origin', 'python'],
      ['n', '7'],
    ]);
    // Per partition, offsets are dense and the committed offset is the end.
    for (const [partition, committed] of Object.entries(out.committed)) {
      const offsets = out.consumed.filter((m) => m.partition === Number(partition)).map((m) => m.offset);
      expect(offsets).toEqual(offsets.map((_, i) => i));
      expect(committed).toBe(offsets.length);
    }

    // KafkaJS reads what Python wrote, and sees the group's commits.
    const messages = await consumeAll(t.kafka(), 'py', 60);
    expect(messages.find((m) => m.key === 'key-7')!.headers).toEqual({ origin: ['python'], n: ['7'] });
    const admin = t.kafka().admin();
    await admin.connect();
    const offsets = await admin.fetchOffsets({ groupId: 'py-group', topics: ['py'] });
    await admin.disconnect();
    expect(
      Object.fromEntries(offsets[0]!.partitions.map((p) => [String(p.partition), Number(p.offset)])),
    ).toEqual(out.committed);
  });
});
