// KafkaJS before kes, as in any test file: only vitest's setup file can have fixed it in time.
import 'kafkajs';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { assertKafkaJsFixes } from './kafkaJsFixes.js';

/**
 * Whether KafkaJS runs with kes's fixes: here (vitest's setup file installs them, as the CLI's
 * first import does), and in fresh Node processes that load KafkaJS and kes in either order.
 */

const root = path.resolve(import.meta.dirname, '../..');
const fixes = pathToFileURL(path.join(import.meta.dirname, 'kafkaJsFixes.ts')).href;
const options = pathToFileURL(path.join(root, 'src/cli/options.ts')).href;

/** Runs an ES module body in a new Node process with tsx; resolves with what it printed, as JSON. */
async function inNewProcess(body: string): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', body],
    { cwd: root },
  );
  return JSON.parse(stdout) as Record<string, unknown>;
}

const outcome = (call: string) =>
  `(() => { try { ${call}; return 'ok'; } catch (err) { return err.message; } })()`;

type Message = { offset: string; key: Buffer | null; isControlRecord: boolean; batchContext: object };
const data = (offset: string, producerId: string, value: string) => ({
  offset,
  key: null,
  value: Buffer.from(value),
  isControlRecord: false,
  batchContext: { producerId, inTransaction: true, isControlBatch: false },
});
const abort = (offset: string, producerId: string) => ({
  offset,
  key: Buffer.from([0, 0, 0, 0]),
  value: null,
  isControlRecord: true,
  batchContext: { producerId, inTransaction: true, isControlBatch: true },
});

describe('KafkaJS with kes fixes', () => {
  it("filters KafkaJS's own batches with kes's function in a test worker", () => {
    const Batch = createRequire(import.meta.url)('kafkajs/src/consumer/batch.js') as new (
      topic: string,
      fetchedOffset: string,
      partition: {
        partition: number;
        highWatermark: string;
        abortedTransactions: object[];
        messages: Message[];
      },
    ) => { messages: { value: Buffer | null }[] };
    // p1 starts first, p2 aborts first; Kafka lists p2's transaction first.
    const batch = new Batch('t', '0', {
      partition: 0,
      highWatermark: '4',
      abortedTransactions: [
        { producerId: '2', firstOffset: '1' },
        { producerId: '1', firstOffset: '0' },
      ],
      messages: [data('0', '1', 'p1-a'), data('1', '2', 'p2-a'), abort('2', '2'), abort('3', '1')],
    });
    expect(batch.messages.map((m) => m.value?.toString())).toEqual([]);
    expect(() => assertKafkaJsFixes()).not.toThrow();
  });

  it('are in place when kes is loaded first, and its client factory says so by not throwing', async () => {
    const result = await inNewProcess(`
      const { cliKafka } = await import('${options}');
      const { installKafkaJsFixes } = await import('${fixes}');
      const kafkajs = await import('kafkajs');
      console.log(JSON.stringify({
        kafkajs: typeof kafkajs.Kafka,
        installed: installKafkaJsFixes(),
        client: ${outcome("cliKafka('check', '127.0.0.1:9092')")},
      }));`);
    expect(result).toEqual({ kafkajs: 'function', installed: true, client: 'ok' });
  });

  it('cannot be installed once KafkaJS is loaded, and then the guard and the client factory throw', async () => {
    const result = await inNewProcess(`
      await import('kafkajs');
      const { assertKafkaJsFixes, installKafkaJsFixes } = await import('${fixes}');
      const { cliKafka } = await import('${options}');
      console.log(JSON.stringify({
        installed: installKafkaJsFixes(),
        guard: ${outcome('assertKafkaJsFixes()')},
        client: ${outcome("cliKafka('check', '127.0.0.1:9092')")},
      }));`);
    expect(result).toMatchObject({ installed: false });
    expect(result.guard).toMatch(/KafkaJS was loaded before kes could fix its read_committed filter/);
    expect(result.client).toBe(result.guard);
  });

  it('are not vouched for while KafkaJS is not loaded at all', async () => {
    const result = await inNewProcess(`
      const { assertKafkaJsFixes } = await import('${fixes}');
      console.log(JSON.stringify({ guard: ${outcome('assertKafkaJsFixes()')} }));`);
    expect(result.guard).toMatch(/cannot find KafkaJS's consumer/);
  });
});
