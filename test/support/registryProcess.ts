import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export interface RegistryProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Output so far (the registry's JSON log lines). */
  output: () => string;
  /** Sends a signal and resolves with the exit code once the process has exited. */
  kill: (signal: NodeJS.Signals) => Promise<number | null>;
}

/**
 * Runs `kes registry` as a child process, the way a user does, and resolves once it prints its
 * "listening on" line.
 */
export function spawnRegistry(brokers: string, extraArgs: string[] = []): Promise<RegistryProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(root, 'src/cli/main.ts'),
      'registry',
      '--port',
      '0',
      '--brokers',
      brokers,
      ...extraArgs,
    ],
    { cwd: root, env: { ...process.env, KES_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (data: Buffer) => {
      output += data.toString();
      const match = /listening on ([\d.]+):(\d+)/.exec(output);
      if (match) {
        child.stdout!.off('data', onData);
        child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
        resolve({
          url: `http://${match[1]}:${match[2]}`,
          port: Number(match[2]),
          child,
          output: () => output,
          kill: async (signal) => {
            child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    void exited.then((code) =>
      reject(new Error(`registry exited with ${code} before listening:\n${output}`)),
    );
  });
}
