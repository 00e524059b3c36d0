import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dieWithParent } from '../support/dieWithParent.js';
import { freePort } from '../support/freePort.js';
import type { RunResult } from '../support/run.js';
import { tempDir } from '../support/tempDir.js';

/**
 * kes as its users get it: the repository packed with `npm pack` (prepack builds it), installed
 * from the tarball into a new project, and the library application of
 * docs/your-own-application.md (test/library/fixture, the files the guide shows) written there,
 * type-checked by tsc against the package's declarations, its decider spec run with kes/testing,
 * and the application run with plain node on the embedded broker and registry: commands over
 * HTTP, the view read after them, and a clean stop.
 */

const root = path.resolve(import.meta.dirname, '../..');
const fixture = path.join(import.meta.dirname, 'fixture');
const MINUTE = 60_000;

/** The dev dependencies of the guide, at the versions the repository uses (in npm's cache). */
const DEV_DEPENDENCIES = ['typescript', '@types/node', 'vitest'].map((name) => {
  const { version } = JSON.parse(
    fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8'),
  ) as { version: string };
  return `${name}@${version}`;
});

/**
 * A user's environment: without what `npm run`/`npx` set for the repository's own npm, nor the
 * example application the repository's tests run (KES_APP, vitest.config.ts).
 */
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([name]) => !/^npm_/i.test(name) && !['INIT_CWD', 'KES_APP'].includes(name),
  ),
);

const temp = tempDir('kes-packed-');
const project = path.join(temp.path, 'library');
const steps: { step: string; ms: number }[] = [];
let installOutput = '';
let app: { child: ChildProcess; lines: Record<string, unknown>[]; output: string[] } | undefined;
let exited: Promise<number | null> | undefined;

/** Runs a command in `cwd`, failing with its output when it does not exit 0. */
async function step(name: string, command: string, args: string[], cwd: string, timeoutMs: number) {
  const started = Date.now();
  const result: RunResult = await new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: cleanEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
  steps.push({ step: name, ms: Date.now() - started });
  if (result.code !== 0) {
    throw new Error(
      `${name} (${command} ${args.join(' ')}) exited with ${result.code}` +
        `${Date.now() - started >= timeoutMs ? ` after its ${timeoutMs} ms` : ''}:\n` +
        `${result.stdout}\n${result.stderr}`,
    );
  }
  return result;
}

const npm = (name: string, args: string[], cwd: string, timeoutMs = 5 * MINUTE) =>
  step(name, 'npm', args, cwd, timeoutMs);

beforeAll(async () => {
  // The tarball, as `npm publish` would make it: prepack cleans dist/ and builds.
  const packs = path.join(temp.path, 'packs');
  fs.mkdirSync(packs);
  await npm('npm pack', ['pack', '--pack-destination', packs], root);
  const tarballs = fs.readdirSync(packs).filter((f) => f.endsWith('.tgz'));
  expect(tarballs, 'npm pack made one tarball').toHaveLength(1);
  const tarball = path.join(packs, tarballs[0]!);

  // A new project: the guide's files, then `npm install kes` (from the tarball) and the dev tools.
  fs.cpSync(fixture, project, { recursive: true });
  const offline = ['--prefer-offline', '--no-audit', '--no-fund'];
  const installs = [
    await npm('npm install kes', ['install', tarball, ...offline], project).catch((err: Error) => {
      throw new Error(`installing the packed kes into a new project failed: ${err.message}`);
    }),
    await npm('npm install --save-dev', ['install', '--save-dev', ...DEV_DEPENDENCIES, ...offline], project),
  ];
  installOutput = installs.map((r) => r.stdout + r.stderr).join('\n');

  // tsc against kes's declarations (its exports' `types`), then the emitted JavaScript runs.
  await npm('npm run build', ['run', 'build'], project, 2 * MINUTE);
}, 12 * MINUTE);

afterAll(async () => {
  if (app && app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
  await exited;
  console.log(
    `packed application: ${steps.map((s) => `${s.step} ${(s.ms / 1000).toFixed(1)} s`).join(', ')}`,
  );
  temp.remove();
});

describe('kes packed, installed from the tarball into a new project', () => {
  it('installs without engine warnings', () => {
    expect(installOutput).not.toMatch(/EBADENGINE/);
    const installed = JSON.parse(
      fs.readFileSync(path.join(project, 'node_modules/kes/package.json'), 'utf8'),
    ) as { name: string };
    expect(installed.name).toBe('kes');
  });

  it('ships the built runtime, the built console and its own schemas, no examples or tests', () => {
    const kes = path.join(project, 'node_modules/kes');
    expect(
      fs
        .readdirSync(kes)
        .filter((f) => f !== 'node_modules')
        .sort(),
    ).toEqual(['LICENSE', 'README.md', 'dist', 'package.json', 'schemas']);
    expect(fs.readdirSync(path.join(kes, 'dist')).sort()).toEqual(['console', 'src']);
    expect(fs.readdirSync(path.join(kes, 'dist/console/console')).sort()).toEqual([
      'console.css',
      'console.js',
      'console.js.LEGAL.txt',
    ]);
    expect(fs.readdirSync(path.join(kes, 'schemas'))).toEqual(['common']);
    for (const entry of ['index', 'testing/index', 'broker/index', 'registry/index', 'cli/main']) {
      expect(fs.existsSync(path.join(kes, 'dist/src', `${entry}.js`)), entry).toBe(true);
      expect(fs.existsSync(path.join(kes, 'dist/src', `${entry}.d.ts`)), entry).toBe(true);
    }
    expect(fs.existsSync(path.join(project, 'dist/main.js')), 'tsc emitted the entry point').toBe(true);
  });

  it("runs the application's decider spec with kes/testing", async () => {
    const result = await npm('npm test', ['test'], project, 2 * MINUTE);
    expect(stripVTControlCharacters(result.stdout)).toMatch(/Tests\s+1 passed \(1\)/);
  });

  it('runs with node on the embedded broker: commands over HTTP, the view read after them', async () => {
    const httpPort = await freePort();
    const env = {
      ...cleanEnv,
      KES_LOG_LEVEL: 'info',
      KES_DATA_DIR: path.join(temp.path, 'data'),
      KES_HTTP_PORT: String(httpPort),
      KES_BROKER_PORT: String(await freePort()),
      KES_REGISTRY_PORT: String(await freePort()),
      // A cold start on a small machine: the first commands may take more than the default 10 s.
      KES_COMMAND_TIMEOUT_MS: '60000',
    };
    // `npm start`'s command, run as it is (node, the compiled entry point, `start`).
    const { scripts } = JSON.parse(fs.readFileSync(path.join(project, 'package.json'), 'utf8')) as {
      scripts: { start: string };
    };
    const [command, ...args] = scripts.start.split(' ');
    expect(command).toBe('node');
    const started = Date.now();
    const child = spawn(...dieWithParent(process.execPath, args), {
      cwd: project,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const current = { child, lines: [] as Record<string, unknown>[], output: [] as string[] };
    app = current;
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    const ready = new Promise<void>((resolve, reject) => {
      for (const stream of [child.stdout!, child.stderr!]) {
        createInterface({ input: stream }).on('line', (text) => {
          current.output.push(text);
          try {
            const line = JSON.parse(text) as Record<string, unknown>;
            current.lines.push(line);
            if (String(line.msg).startsWith('kes is ready')) resolve();
          } catch {
            // not a log line
          }
        });
      }
      void exited!.then((code) =>
        reject(
          new Error(`the application exited with ${code} before it was ready:\n${current.output.join('\n')}`),
        ),
      );
    });
    const timeout = (ms: number, what: string) =>
      new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error(`${what} within ${ms} ms:\n${current.output.join('\n')}`)),
          ms,
        ).unref(),
      );
    await Promise.race([ready, timeout(3 * MINUTE, 'the application was not ready')]);
    steps.push({ step: 'node dist/main.js start until ready', ms: Date.now() - started });

    const base = `http://127.0.0.1:${httpPort}`;
    const send = async (type: string, body: unknown) => {
      const response = await fetch(`${base}/commands/${type}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    const httpStarted = Date.now();
    const added = await send('AddBook', { bookId: 'dune', title: 'Dune' });
    expect(added, 'AddBook is accepted').toMatchObject({
      status: 200,
      body: {
        aggregateId: 'dune',
        version: 1,
        events: [expect.objectContaining({ type: 'kes.books.BookAdded' })],
      },
    });
    const borrowed = await send('BorrowBook', { bookId: 'dune', memberId: 'ada' });
    expect(borrowed, 'BorrowBook is accepted').toMatchObject({
      status: 200,
      body: { aggregateId: 'dune', version: 2, position: expect.stringMatching(/^books\.events:\d+:\d+$/) },
    });
    const refused = await send('BorrowBook', { bookId: 'dune', memberId: 'bob' });
    expect(refused, 'a second borrower is refused').toMatchObject({
      status: 422,
      body: { code: 'COMMAND_REJECTED', rejection: { code: 'ALREADY_BORROWED' } },
    });

    // Read-your-writes: the row as of BorrowBook's last event.
    const position = encodeURIComponent(String(borrowed.body.position));
    const row = await fetch(`${base}/views/books/dune?after=${position}`);
    expect(row.status).toBe(200);
    expect(await row.json()).toEqual({ bookId: 'dune', title: 'Dune', borrowedBy: 'ada', timesBorrowed: 1 });
    // The console, as the package ships it built.
    const console = await fetch(`${base}/`);
    expect(console.status).toBe(200);
    expect(await console.text()).toContain('<script type="module" src="console/console.js">');
    const script = await fetch(`${base}/console/console.js`);
    expect(script.status).toBe(200);
    expect((await script.text()).length).toBeGreaterThan(10_000);
    steps.push({ step: 'commands and the view over HTTP', ms: Date.now() - httpStarted });
  });

  it('stops on SIGTERM and exits 0', async () => {
    expect(app, 'the application was started').toBeDefined();
    const stopping = Date.now();
    app!.child.kill('SIGTERM');
    const code = await Promise.race([
      exited!,
      new Promise<'still running'>((resolve) =>
        setTimeout(() => resolve('still running'), 2 * MINUTE).unref(),
      ),
    ]);
    steps.push({ step: 'SIGTERM until exit', ms: Date.now() - stopping });
    expect(code, app!.output.slice(-30).join('\n')).toBe(0);
  });
});
