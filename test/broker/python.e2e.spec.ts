import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { type BrokerTarget, forEachBroker } from '../support/brokerTargets.js';
import { consumeAll } from '../support/consumeAll.js';
import { run } from '../support/run.js';

/**
 * Python clients on both brokers: Debian's python3-kafka (kafka-python, run with the system
 * interpreter) and confluent-kafka from PyPI (librdkafka, in the virtualenv .ci/run makes).
 */
const SYSTEM_PYTHON = '/usr/bin/python3';
const VENV_PYTHON = path.join(import.meta.dirname, '..', '..', '.venv-test', 'bin', 'python');
const roundtrip = path.join(import.meta.dirname, 'python', 'roundtrip.py');
const confluent = path.join(import.meta.dirname, 'python', 'confluent.py');

interface Consumed {
  partition: number;
  offset: number;
  key: string;
  value: string;
  headers: [string, string][];
}

/** Per partition, offsets are dense from 0 and the committed offset is the end. */
function expectDenseAndCommitted(consumed: Consumed[], committed: Record<string, number>) {
  expect(Object.keys(committed).length).toBeGreaterThan(0);
  for (const [partition, offset] of Object.entries(committed)) {
    const offsets = consumed.filter((m) => m.partition === Number(partition)).map((m) => m.offset);
    expect(offsets.sort((a, b) => a - b)).toEqual(offsets.map((_, i) => i));
    expect(offset).toBe(offsets.length);
  }
}

async function groupOffsets(t: BrokerTarget, groupId: string, topic: string) {
  const admin = t.kafka().admin();
  await admin.connect();
  const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
  await admin.disconnect();
  return Object.fromEntries(offsets[0]!.partitions.map((p) => [String(p.partition), Number(p.offset)]));
}

forEachBroker('Python clients', {}, (t: BrokerTarget) => {
  beforeAll(async () => {
    const admin = t.kafka().admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: 'py', numPartitions: 3 },
        { topic: 'confluent-in', numPartitions: 3 },
        { topic: 'confluent-out', numPartitions: 2 },
      ],
    });
    await admin.disconnect();
  });

  it('kafka-python produces, then consumes in a group and commits', async () => {
    const result = await run(SYSTEM_PYTHON, [roundtrip, t.bootstrap, 'py', 'py-group', '60'], {
      timeoutMs: 120_000,
    });
    expect(result.stderr).not.toMatch(/Traceback/);
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as {
      produced: unknown[];
      consumed: Consumed[];
      committed: Record<string, number>;
    };
    expect(out.produced).toHaveLength(60);
    expect(out.consumed.map((m) => m.value).sort()).toEqual(
      Array.from({ length: 60 }, (_, i) => `python ${i}`).sort(),
    );
    expect(out.consumed.find((m) => m.key === 'key-7')!.headers).toEqual([
      ['origin', 'python'],
      ['n', '7'],
    ]);
    expectDenseAndCommitted(out.consumed, out.committed);

    // KafkaJS reads what Python wrote, and sees the group's commits.
    const messages = await consumeAll(t.kafka(), 'py', 60);
    expect(messages.find((m) => m.key === 'key-7')!.headers).toEqual({ origin: ['python'], n: ['7'] });
    expect(await groupOffsets(t, 'py-group', 'py')).toEqual(out.committed);
  });

  it('confluent-kafka produces idempotently, commits in a group, and sends offsets in a transaction', async () => {
    // A missing client fails here, saying how to get it; it is never skipped.
    expect(
      fs.existsSync(VENV_PYTHON),
      'no .venv-test: run .ci/run, or python3 -m venv .venv-test && .venv-test/bin/pip install confluent-kafka',
    ).toBe(true);
    const result = await run(
      VENV_PYTHON,
      [confluent, t.bootstrap, 'confluent-in', 'confluent-out', 'confluent-group', '50'],
      { timeoutMs: 180_000 },
    );
    expect(result.stderr).not.toMatch(/Traceback/);
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as {
      delivered: [number, number][];
      consumed: Consumed[];
      committed: Record<string, number>;
      txnCommitted: Record<string, number>;
      outputs: string[];
    };
    expect(out.delivered).toHaveLength(50);
    const values = Array.from({ length: 50 }, (_, i) => `confluent ${i}`);
    expect(out.consumed.map((m) => m.value).sort()).toEqual([...values].sort());
    expect(out.consumed.find((m) => m.key === 'key-3')!.headers).toEqual([
      ['origin', 'confluent'],
      ['n', '3'],
    ]);
    expectDenseAndCommitted(out.consumed, out.committed);
    // The transaction's offsets are the group's, and only its committed outputs are read.
    expect(out.txnCommitted).toEqual(out.committed);
    expect(await groupOffsets(t, 'confluent-group-txn', 'confluent-in')).toEqual(out.committed);
    expect(out.outputs).toEqual(values.map((v) => `out ${v}`).sort());
    const committedOutputs = await consumeAll(t.kafka(), 'confluent-out', 50);
    expect(committedOutputs.map((m) => m.value).sort()).toEqual(out.outputs);
  });
});
