import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../support/run.js';
import { type ScriptProcess, spawnScript } from '../support/spawnScript.js';
import { tempDir } from '../support/tempDir.js';

/**
 * The README's walkthrough, run as written against `kes start` (what `npm start` runs) started as
 * a user starts it, with a fresh data directory. Each command (with its `\` continuation lines)
 * in the `sh` blocks between the walkthrough markers runs in bash; a `# {…}` comment after it is
 * its expected output, where `…` stands for anything. Only the ports change, to free ones. A
 * read whose output does not match yet is run again for a while (as a user would, if the saga
 * had not finished), a command never is; a `NAME=$(…)` step's value is passed to later steps.
 */
interface Step {
  command: string;
  expected?: string;
}

function walkthrough(): Step[] {
  const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
  const section = /<!-- walkthrough:start -->([\s\S]*?)<!-- walkthrough:end -->/.exec(readme)?.[1];
  if (!section) throw new Error('no walkthrough in the README');
  const steps: Step[] = [];
  let continuing = false;
  for (const [, block] of section.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const line of block!.split('\n')) {
      if (continuing) {
        steps.at(-1)!.command += `\n${line}`;
        continuing = line.endsWith('\\');
      } else if (line.startsWith('# {')) {
        steps.at(-1)!.expected = line.slice(2);
      } else if (line.startsWith('#') || line.trim() === '') {
        continue;
      } else {
        steps.push({ command: line });
        continuing = line.endsWith('\\');
      }
    }
  }
  return steps;
}

/** The expected output as a pattern: `…` matches anything. */
function pattern(expected: string): RegExp {
  const parts = expected.split('…').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*?')}$`, 's');
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

let kes: ScriptProcess;
let httpPort: number;
const data = tempDir('kes-readme-');

beforeAll(async () => {
  httpPort = await freePort();
  kes = spawnScript(path.resolve(import.meta.dirname, '../../src/cli/main.ts'), ['start'], {
    KES_LOG_LEVEL: 'info',
    KES_DATA_DIR: data.path,
    KES_HTTP_PORT: String(httpPort),
    KES_BROKER_PORT: String(await freePort()),
    KES_REGISTRY_PORT: String(await freePort()),
  });
  await kes.waitForLine((line) => String(line.msg).startsWith('kes is ready'), 120_000);
}, 150_000);

afterAll(async () => {
  await kes?.stop();
  data.remove();
});

describe('the README walkthrough against kes start', () => {
  const steps = walkthrough();
  const variables: Record<string, string> = {};

  it('has steps, with expected outputs', () => {
    expect(steps.length).toBeGreaterThan(15);
    expect(steps.filter((s) => s.expected !== undefined).length).toBeGreaterThan(12);
  });

  it.each(steps.map((s, i) => [i + 1, s.command.split('\n')[0], s] as const))(
    'step %i: %s',
    async (_i, _first, step) => {
      const command = step.command.replaceAll('localhost:3000', `localhost:${httpPort}`);
      const assigned = /^([A-Z_]+)=\$\(/.exec(command)?.[1];
      const script = assigned ? `${command}\nprintf %s "$${assigned}"` : command;
      const isCommand = /-X POST/.test(command);
      const deadline = Date.now() + 15_000;
      for (;;) {
        const result = await run('bash', ['-c', script], {
          timeoutMs: 20_000,
          env: { ...process.env, ...variables },
        });
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        const output = result.stdout.trim();
        if (assigned) {
          expect(output).not.toBe('');
          variables[assigned] = output;
          return;
        }
        if (step.expected === undefined) return;
        if (pattern(step.expected).test(output) || isCommand || Date.now() > deadline) {
          expect(output).toMatch(pattern(step.expected));
          return;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    },
    30_000,
  );
});
