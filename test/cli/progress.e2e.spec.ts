import * as fs from 'node:fs';
import * as path from 'node:path';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeadLetterHeaders } from '../../src/processor/streamTask.js';
import { Serde } from '../../src/serde/serde.js';
import { application } from '../../topology/application.js';
import { type TestStack, startTestStack } from '../support/embeddedStack.js';
import { run } from '../support/run.js';
import { inTerminal, kesCommandLine, screen, shellQuote } from '../support/terminal.js';
import { tempDir } from '../support/tempDir.js';

/**
 * `kes produce --file` and `kes dlq replay` run as a user runs them, against an embedded broker
 * and registry: on a terminal they draw a progress line on stderr; stdout carries their JSON
 * lines only, whether stderr (or stdout) is a terminal or not.
 */
let stack: TestStack;
let connection: string[];
const files = tempDir('kes-progress-');

beforeAll(async () => {
  stack = await startTestStack();
  connection = ['--brokers', stack.broker.broker.bootstrap, '--registry', stack.registry.url];
  // kes produce encodes with the registered schemas, as after `kes schemas register`.
  await Serde.forApplication(application, new SchemaRegistry({ host: stack.registry.url })).registerAll();
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  files.remove();
});

const kes = (args: string[]) =>
  run(process.execPath, [
    '--import',
    'tsx',
    path.resolve(import.meta.dirname, '../../src/cli/main.ts'),
    ...args,
  ]);

/** Runs kes on a terminal with stdout sent to a file; resolves with the terminal's lines and the file. */
async function kesOnTerminal(args: string[], name: string, before = '') {
  const stdout = path.join(files.path, `${name}.stdout`);
  const terminal = inTerminal(`${before}${kesCommandLine(args)} > ${shellQuote(stdout)}`);
  const code = await terminal.exited;
  return { code, screen: screen(terminal.output()), stdout: fs.readFileSync(stdout, 'utf8') };
}

/** A JSON lines file of `count` commands (and a blank line, which is no command). */
function commandsFile(name: string, count: number): string {
  const file = path.join(files.path, `${name}.jsonl`);
  const lines = Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      type: 'AddProduct',
      data: { productId: `${name}-${i}`, name: `Product ${i}`, initialStock: i },
    }),
  );
  fs.writeFileSync(file, `${lines.slice(0, 1).join('\n')}\n\n${lines.slice(1).join('\n')}\n`);
  return file;
}

/** Parses every line of stdout as JSON (failing on any that is not). */
const jsonLines = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const sent = (name: string, count: number) =>
  Array.from({ length: count }, (_, i) =>
    expect.objectContaining({ type: 'AddProduct', aggregateId: `${name}-${i}`, topic: 'stock.commands' }),
  );

describe('kes produce --file', () => {
  it('prints JSON lines only, and no progress, without a terminal', async () => {
    const file = commandsFile('piped', 30);
    const result = await kes(['produce', '--file', file, ...connection]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(jsonLines(result.stdout)).toEqual(sent('piped', 30));
  });

  it('counts the commands sent on a terminal, on stderr, while stdout keeps the JSON lines', async () => {
    const file = commandsFile('counted', 30);
    const result = await kesOnTerminal(['produce', '--file', file, ...connection], 'counted');
    expect(result.code).toBe(0);
    expect(jsonLines(result.stdout)).toEqual(sent('counted', 30));
    expect(result.screen).toEqual([expect.stringMatching(/^producing 30\/30 \(100\.0%\) [\d.]+\/s$/)]);
  });

  it('reads a pipe once, counting without a total', async () => {
    const file = commandsFile('pipe', 30);
    const result = await kesOnTerminal(
      ['produce', '--file', '/dev/stdin', ...connection],
      'pipe',
      `cat ${shellQuote(file)} | `,
    );
    expect(result.code).toBe(0);
    expect(jsonLines(result.stdout)).toEqual(sent('pipe', 30));
    expect(result.screen).toEqual([expect.stringMatching(/^producing 30 [\d.]+\/s$/)]);
  });

  it('keeps each JSON line whole when stdout is the same terminal', async () => {
    const file = commandsFile('shared', 30);
    const terminal = inTerminal(kesCommandLine(['produce', '--file', file, ...connection]));
    expect(await terminal.exited).toBe(0);
    const shown = screen(terminal.output());
    expect(shown.at(-1)).toMatch(/^producing 30\/30 \(100\.0%\)/);
    expect(jsonLines(shown.slice(0, -1).join('\n'))).toEqual(sent('shared', 30));
  });
});

describe('kes dlq replay', () => {
  /** Dead letters of `processor`, as a command handler writes them: read from partition 0 of `source`. */
  async function deadLetters(processor: string, source: string, count: number) {
    const producer = stack.broker.kafka('kes-progress-test').producer();
    await producer.connect();
    await producer.send({
      topic: `${processor}.dlq`,
      messages: Array.from({ length: count }, (_, i) => ({
        key: `broken-${i}`,
        value: Buffer.from('not avro'),
        headers: {
          [DeadLetterHeaders.processor]: processor,
          [DeadLetterHeaders.error]: 'not Avro',
          [DeadLetterHeaders.errorType]: 'PoisonRecord',
          [DeadLetterHeaders.topic]: source,
          [DeadLetterHeaders.partition]: '0',
          [DeadLetterHeaders.offset]: String(i),
        },
      })),
    });
    await producer.disconnect();
  }

  it('prints its result as one JSON line, and no progress, without a terminal', async () => {
    await deadLetters('invoices-commands', 'invoices.commands', 12);
    const result = await kes([
      'dlq',
      'replay',
      'invoices-commands',
      '--brokers',
      stack.broker.broker.bootstrap,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(jsonLines(result.stdout)).toEqual([{ processor: 'invoices-commands', replayed: 12, skipped: 0 }]);
  });

  it('counts the dead letters sent back on a terminal, on stderr, while stdout keeps its JSON line', async () => {
    await deadLetters('orders-commands', 'orders.commands', 12);
    const result = await kesOnTerminal(
      ['dlq', 'replay', 'orders-commands', '--brokers', stack.broker.broker.bootstrap],
      'replay',
    );
    expect(result.code).toBe(0);
    expect(jsonLines(result.stdout)).toEqual([{ processor: 'orders-commands', replayed: 12, skipped: 0 }]);
    expect(result.screen).toEqual([
      expect.stringMatching(/^replaying orders-commands 12\/12 \(100\.0%\) [\d.]+\/s$/),
    ]);
  });
});
