import * as path from 'node:path';
import { spawnScript, type ScriptProcess } from './spawnScript.js';

const main = path.resolve(import.meta.dirname, '../../src/cli/main.ts');

/** A `kes app` child process and the URL of its HTTP API (on a free port). */
export type AppProcess = ScriptProcess & { readonly url: string };

/**
 * `kes app` as a child process (as users run it), with its own data directory. Resolves once it
 * logs that every task is restored.
 */
export async function spawnApp(options: {
  brokers: string;
  registry: string;
  dataDir: string;
  instanceId: string;
  /** Extra arguments of `kes app`. */
  args?: readonly string[];
}): Promise<AppProcess> {
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
      '--http-port',
      '0',
      ...(options.args ?? []),
    ],
    { KES_LOG_LEVEL: 'info' },
  );
  const ready = await child
    .waitForLine((line) => line.msg === 'ready: every task restored', 120_000)
    .catch(async (err: unknown) => {
      await child.kill(); // never left running when it does not get ready
      throw err;
    });
  return Object.assign(child, { url: ready.url as string });
}
