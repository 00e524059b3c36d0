import * as path from 'node:path';
import { spawnScript, type ScriptProcess } from './spawnScript.js';

const main = path.resolve(import.meta.dirname, '../../src/cli/main.ts');

/**
 * `kes app` as a child process (as users run it), with its own data directory. Resolves once it
 * logs that every task is restored.
 */
export async function spawnApp(options: {
  brokers: string;
  registry: string;
  dataDir: string;
  instanceId: string;
}): Promise<ScriptProcess> {
  const child = spawnScript(
    main,
    [
      'app',
      '--brokers',
      options.brokers,
      '--registry',
      options.registry,
      '--data',
      options.dataDir,
      '--instance-id',
      options.instanceId,
    ],
    { KES_LOG_LEVEL: 'info' },
  );
  await child.waitForLine((line) => line.msg === 'ready: every task restored', 120_000);
  return child;
}
