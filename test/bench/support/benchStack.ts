import pino from 'pino';
import { type RegistryHandle, startRegistry } from '../../../src/registry/startRegistry.js';
import type { ScriptProcess } from '../../support/spawnScript.js';
import { tempDir } from '../../support/tempDir.js';
import { type BenchKafka, startBenchKafka } from './benchKafka.js';

/**
 * What a bench runs on: Kafka in processes of its own (the embedded broker, or real nodes: see
 * benchKafka.ts) and a schema registry in this one, in a temporary directory; `defer` adds a clean-up step, and `close` runs
 * them all in reverse order (a failing step is logged, the others still run).
 */
export interface BenchStack {
  readonly dir: string;
  readonly broker: BenchKafka;
  readonly registry: RegistryHandle;
  defer(step: () => Promise<unknown> | void): void;
  close(): Promise<void>;
}

export async function startBenchStack(name: string): Promise<BenchStack> {
  const undo: (() => Promise<unknown> | void)[] = [];
  const close = async () => {
    for (const step of undo.splice(0).reverse()) {
      await Promise.resolve()
        .then(step)
        .catch((err: unknown) => console.error(`cleanup: ${(err as Error).message}`));
    }
  };
  try {
    const dir = tempDir(`kes-bench-${name}-`);
    undo.push(() => dir.remove());
    const broker = await startBenchKafka(dir.path);
    undo.push(() => broker.stop());
    const registry = await startRegistry({
      port: 0,
      brokers: broker.brokers,
      logger: pino({ level: 'silent' }),
    });
    undo.push(() => registry.close());
    return { dir: dir.path, broker, registry, defer: (step) => undo.push(step), close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** SIGTERM, then SIGKILL if the process has not exited within 10 s. */
export async function stopGracefully(child: ScriptProcess): Promise<void> {
  const timer = setTimeout(() => void child.kill(), 10_000);
  await child.stop();
  clearTimeout(timer);
}
