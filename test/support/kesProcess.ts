import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { dieWithParent } from './dieWithParent.js';

const root = path.resolve(import.meta.dirname, '../..');

export interface KesProcess {
  readonly host: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Output so far (the process's JSON log lines). */
  output(): string;
  /** Sends a signal and resolves with the exit code once the process has exited. */
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs a `kes` command that serves on a port (`kes broker`, `kes registry`) as a child process,
 * the way a user does, and resolves once it prints its "listening on <host>:<port>" line.
 */
export function spawnKes(
  args: readonly string[],
  nodeArgs: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<KesProcess> {
  const child = spawn(
    ...dieWithParent(process.execPath, [
      ...nodeArgs,
      '--import',
      'tsx',
      path.join(root, 'src/cli/main.ts'),
      ...args,
    ]),
    {
      cwd: root,
      env: { ...process.env, KES_LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (data: Buffer) => {
      output += data.toString();
      const match = /listening on ([\d.]+):(\d+)/.exec(output);
      if (!match) return;
      child.stdout!.off('data', onData);
      child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
      resolve({
        host: match[1]!,
        port: Number(match[2]),
        child,
        output: () => output,
        kill: async (signal) => {
          child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    void exited.then((code) =>
      reject(new Error(`kes ${args[0]} exited with ${code} before listening:\n${output}`)),
    );
  });
}
