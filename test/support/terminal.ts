import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { dieWithParent } from './dieWithParent.js';

const root = path.resolve(import.meta.dirname, '../..');

/** A shell word for `sh -c`. */
export const shellQuote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

/** The shell command that runs `kes` with these arguments, as src/cli/main.ts under tsx. */
export function kesCommandLine(args: readonly string[]): string {
  return [process.execPath, '--import', 'tsx', path.join(root, 'src/cli/main.ts'), ...args]
    .map(shellQuote)
    .join(' ');
}

/**
 * The lines a terminal shows for what was written to it: \r goes back to the line's start, \n
 * to the next line, ESC[K erases to the line's end, and other text overwrites what is under it.
 */
export function screen(text: string): string[] {
  const lines = [''];
  let column = 0;
  for (let i = 0; i < text.length; i++) {
    const row = lines.length - 1;
    if (text[i] === '\r') column = 0;
    else if (text[i] === '\n') {
      lines.push('');
      column = 0;
    } else if (text.startsWith('\x1b[K', i)) {
      lines[row] = lines[row]!.slice(0, column);
      i += 2;
    } else {
      const line = lines[row]!;
      lines[row] = line.slice(0, column) + text[i] + line.slice(column + 1);
      column++;
    }
  }
  return lines.at(-1) === '' ? lines.slice(0, -1) : lines;
}

export interface TerminalProcess {
  /** Everything the terminal showed so far, as written (with its \r and escape sequences). */
  output(): string;
  /** Resolves with the output once it matches the pattern. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code once the command has ended. */
  readonly exited: Promise<number | null>;
  /** Ends the command (script sends it SIGTERM, then SIGKILL) and waits for it. */
  stop(): Promise<number | null>;
}

/**
 * Runs a shell command line on a pseudo-terminal, as a person at a terminal runs it: util-linux
 * `script` gives it a terminal as stdin, stdout and stderr (a redirection in the command line
 * moves stdout away from it). The terminal turns each \n into \r\n.
 */
export function inTerminal(commandLine: string, env: NodeJS.ProcessEnv = {}): TerminalProcess {
  const child = spawn(...dieWithParent('script', ['-qec', commandLine, '/dev/null']), {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const collect = (data: Buffer) => {
    output += data.toString();
    for (const listener of listeners) listener();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return {
    output: () => output,
    exited,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!pattern.test(output)) return;
          done();
          resolve(output);
        };
        const done = () => {
          listeners.delete(check);
          clearTimeout(timer);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${pattern} within ${timeoutMs} ms; the terminal showed:\n${output}`));
        }, timeoutMs);
        listeners.add(check);
        void exited.then(() => {
          if (!listeners.has(check)) return;
          done();
          reject(new Error(`ended without ${pattern}; the terminal showed:\n${output}`));
        });
        check();
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
