import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/tempDir.js';

const root = path.resolve(import.meta.dirname, '../..');
const data = tempDir('kes-start-');
afterAll(() => data.remove());

describe('kes start', () => {
  it('runs the broker, the schema registry with the domain schemas, and every processor; stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), 'start'], {
      cwd: root,
      env: {
        ...process.env,
        KES_DATA_DIR: data.path,
        KES_BROKER_PORT: '0',
        KES_REGISTRY_PORT: '0',
        KES_LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await expect.poll(() => output.includes('kes is ready'), { timeout: 90_000, interval: 200 }).toBe(true);
      const listening = [...output.matchAll(/listening on ([\d.]+):(\d+)/g)].map((m) => `${m[1]}:${m[2]}`);
      expect(listening).toHaveLength(2);
      const registry = `http://${listening[1]}`;
      const subjects = (await (await fetch(`${registry}/subjects`)).json()) as string[];
      expect(subjects).toContain('orders.events-kes.orders.OrderPlaced');
      expect(subjects).toHaveLength(50);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(output).toContain('kes app started');
    expect(output).toContain('registry stopped');
    expect(output).toContain('broker stopped');
  });
});
