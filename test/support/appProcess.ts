import * as path from 'node:path';
import { spawnScript, type ScriptProcess } from './spawnScript.js';

const main = path.resolve(import.meta.dirname, '../../src/cli/main.ts');
/** The application the `kes app` processes run: the example (the shop and the ledger). */
export const EXAMPLE_APP = path.resolve(import.meta.dirname, '../../topology/application.ts');

/** A `kes app` child process and the URL of its HTTP API (on a free port). */
export type AppProcess = ScriptProcess & { readonly url: string };

export interface AppProcessOptions {
  brokers: string;
  registry: string;
  dataDir: string;
  instanceId: string;
  /** Extra arguments of `kes app`. */
  args?: readonly string[];
  /** KES_LOG_LEVEL of the process; default info. */
  logLevel?: string;
  /** More environment variables of the process (e.g. KES_JWT_SECRET). */
  env?: Readonly<Record<string, string>>;
}

/** `kes app` as a child process (as users run it), with its own data directory; not waited for. */
export function appScript(options: AppProcessOptions): ScriptProcess {
  return spawnScript(
    main,
    [
      '--app',
      EXAMPLE_APP,
      'app',
      '--brokers',
      options.brokers,
      '--registry',
      options.registry,
      '--data',
      options.dataDir,
      '--instance-id',
      options.instanceId,
      ...(options.args ?? []),
    ],
    { KES_LOG_LEVEL: options.logLevel ?? 'info', ...options.env },
  );
}

/**
 * `kes app` as a child process, its HTTP API on a free port. Resolves once it logs that every
 * task is restored.
 */
export async function spawnApp(options: AppProcessOptions): Promise<AppProcess> {
  const child = appScript({ ...options, args: ['--http-port', '0', ...(options.args ?? [])] });
  const ready = await child
    .waitForLine((line) => line.msg === 'ready: every task restored', 120_000)
    .catch(async (err: unknown) => {
      await child.kill(); // never left running when it does not get ready
      throw err;
    });
  return Object.assign(child, { url: ready.url as string });
}
