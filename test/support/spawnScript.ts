import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { dieWithParent } from './dieWithParent.js';

const root = path.resolve(import.meta.dirname, '../..');

export interface ScriptProcess {
  readonly child: ChildProcess;
  /** Every JSON line the script printed so far. */
  readonly lines: Record<string, unknown>[];
  /** Resolves with the first printed line that satisfies the predicate. */
  waitForLine(
    predicate: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  /** Sends SIGKILL and resolves once the process is gone. */
  kill(): Promise<void>;
  /** Sends SIGTERM (a graceful stop) and resolves once the process is gone. */
  stop(): Promise<void>;
}

/** Runs a TypeScript script (an absolute path) in a child process, collecting its JSON lines. */
export function spawnScript(script: string, args: string[], env: NodeJS.ProcessEnv = {}): ScriptProcess {
  // KES_CHILD_NODE_ARGS passes flags to the child's node (e.g. --cpu-prof for profiling).
  const nodeArgs = process.env.KES_CHILD_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(...dieWithParent(process.execPath, [...nodeArgs, '--import', 'tsx', script, ...args]), {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  // KES_TEST_LOG_DIR=<dir> keeps every child's output there, one file per process, to read after a failure.
  const logDir = process.env.KES_TEST_LOG_DIR;
  const logFile =
    logDir && path.join(logDir, `${path.basename(script, '.ts')}-${args[0] ?? ''}-${child.pid}.log`);
  createInterface({ input: child.stdout! }).on('line', (text) => {
    if (logFile) fs.appendFileSync(logFile, `${text}\n`);
    try {
      lines.push(JSON.parse(text) as Record<string, unknown>);
    } catch {
      return;
    }
    for (const wake of waiters) wake();
  });
  return {
    child,
    lines,
    waitForLine(predicate, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.find(predicate);
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${script}: no matching line within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
