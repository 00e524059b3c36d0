import * as path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnKes } from '../support/kesProcess.js';
import { run } from '../support/run.js';
import { inTerminal, kesCommandLine, type TerminalProcess } from '../support/terminal.js';
import { tempDir } from '../support/tempDir.js';

/**
 * The servers' logs (`kes broker` here; `kes start`, `kes app` and `kes registry` make their
 * logger the same way) are lines for a person on a terminal and JSON lines otherwise, unless
 * KES_LOG_FORMAT says which.
 */
const data = tempDir('kes-log-format-');
const running: { stop(): Promise<unknown> }[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

function brokerInTerminal(env: NodeJS.ProcessEnv = {}): TerminalProcess {
  const dir = path.join(data.path, String(running.length), String(Date.now()));
  const broker = inTerminal(kesCommandLine(['broker', '--port', '0', '--data', dir]), {
    KES_LOG_LEVEL: 'info',
    ...env,
  });
  running.push(broker);
  return broker;
}

const parses = (line: string) => {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
};
const lines = (output: string) => output.split(/\r?\n/).filter((l) => l.trim() !== '');
/** Whether the text holds escape sequences for a terminal (colours). */
const hasEscapes = (text: string) => stripVTControlCharacters(text) !== text;

describe('kes broker logs', () => {
  it('are pretty, in colour, on a terminal', async () => {
    const broker = brokerInTerminal();
    const output = await broker.waitFor(/listening on 127\.0\.0\.1:\d+/);
    expect(hasEscapes(output)).toBe(true);
    const plain = stripVTControlCharacters(output);
    expect(plain).toMatch(
      /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO \(kes-broker\): listening on 127\.0\.0\.1:\d+\r$/m,
    );
    expect(lines(plain).filter(parses)).toEqual([]);
  });

  it('are JSON lines, as pino writes them, when stdout is not a terminal', async () => {
    const broker = await spawnKes(['broker', '--port', '0', '--data', path.join(data.path, 'piped')]);
    running.push({ stop: () => broker.kill('SIGTERM') });
    const logged = lines(broker.output()).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged.find((l) => String(l.msg).startsWith('listening on'))).toMatchObject({
      level: 30,
      name: 'kes-broker',
      pid: broker.child.pid,
      time: expect.any(Number),
    });
    expect(hasEscapes(broker.output())).toBe(false);
  });

  it('are JSON lines on a terminal with KES_LOG_FORMAT=json', async () => {
    const broker = brokerInTerminal({ KES_LOG_FORMAT: 'json' });
    const output = await broker.waitFor(/listening on/);
    expect(lines(output).length).toBeGreaterThan(0);
    expect(lines(output).every(parses)).toBe(true);
  });

  it('are pretty without colour, off a terminal, with KES_LOG_FORMAT=pretty', async () => {
    const broker = await spawnKes(['broker', '--port', '0', '--data', path.join(data.path, 'forced')], [], {
      KES_LOG_FORMAT: 'pretty',
    });
    running.push({ stop: () => broker.kill('SIGTERM') });
    expect(broker.output()).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO \(kes-broker\): listening on /m);
    expect(lines(broker.output()).filter(parses)).toEqual([]);
    expect(hasEscapes(broker.output())).toBe(false);
  });

  it('refuses a KES_LOG_FORMAT it does not know', async () => {
    const result = await run(
      'sh',
      ['-c', kesCommandLine(['broker', '--port', '0', '--data', path.join(data.path, 'bad')])],
      { env: { ...process.env, KES_LOG_FORMAT: 'text' } },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('KES_LOG_FORMAT must be one of json, pretty, got text');
  });
});
