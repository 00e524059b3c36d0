import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../support/embeddedBroker.js';
import { type RegistryProcess, spawnRegistry } from '../support/registryProcess.js';
import { run } from '../support/run.js';

/**
 * The curl walkthrough of docs/registry.md, run as written against `kes registry` started as a
 * user starts it: every `$ ` command (with its `\` continuation lines) in the block after the
 * `<!-- registry-walkthrough -->` marker, whose output must be the lines that follow it. Only the
 * registry's address changes, to the port this test's registry listens on.
 */
interface Step {
  command: string;
  expected: string;
}

function walkthrough(): Step[] {
  const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../docs/registry.md'), 'utf8');
  const start = doc.indexOf('<!-- registry-walkthrough -->');
  if (start < 0) throw new Error('no registry walkthrough in docs/registry.md');
  const block = /```console\n([\s\S]*?)```/.exec(doc.slice(start))![1]!;
  const steps: Step[] = [];
  let continuing = false;
  for (const line of block.split('\n')) {
    if (continuing) {
      steps.at(-1)!.command += `\n${line}`;
      continuing = line.endsWith('\\');
    } else if (line.startsWith('$ ')) {
      steps.push({ command: line.slice(2), expected: '' });
      continuing = line.endsWith('\\');
    } else if (line.startsWith('# ') || line === '') {
      continue;
    } else {
      const step = steps.at(-1)!;
      step.expected += step.expected === '' ? line : `\n${line}`;
    }
  }
  return steps;
}

let broker: TestBroker;
let registry: RegistryProcess;

beforeAll(async () => {
  broker = await startTestBroker();
  registry = await spawnRegistry(broker.broker.bootstrap);
});
afterAll(async () => {
  const code = await registry?.kill('SIGTERM');
  await broker?.stop();
  expect(code).toBe(0);
  expect(registry.output()).toContain('registry stopped');
});

describe('the curl walkthrough of docs/registry.md against kes registry', () => {
  const steps = walkthrough();

  it('has steps', () => {
    expect(steps.length).toBeGreaterThan(10);
  });

  it('prints "listening on <host>:<port>"', () => {
    expect(registry.output()).toMatch(/listening on 127\.0\.0\.1:\d+/);
  });

  it.each(steps.map((s, i) => [i + 1, s.command.split('\n')[0], s] as const))(
    'step %i: %s',
    async (_i, _first, step) => {
      const command = step.command.replaceAll('127.0.0.1:8081', `127.0.0.1:${registry.port}`);
      const result = await run('bash', ['-c', command], { timeoutMs: 20_000 });
      expect(result.stderr).toBe('');
      expect(result.stdout.trim()).toBe(step.expected);
    },
  );
});
