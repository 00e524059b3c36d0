import { type KesProcess, spawnKes } from './kesProcess.js';
import type { RegistryNode } from './testCluster.js';

export interface RegistryProcess extends KesProcess {
  readonly url: string;
}

/** Runs `kes registry` as a child process (on a free port by default) and resolves once it listens. */
export async function spawnRegistry(
  brokers: string,
  extraArgs: string[] = [],
  port = 0,
): Promise<RegistryProcess> {
  const registry = await spawnKes(['registry', '--port', String(port), '--brokers', brokers, ...extraArgs]);
  return {
    ...registry,
    output: registry.output,
    kill: registry.kill,
    url: `http://${registry.host}:${registry.port}`,
  };
}

/**
 * A `kes registry` process that a test may kill and start again on the same port (its state is
 * in Kafka), as TestCluster.registry.
 */
export async function killableRegistry(brokers: string): Promise<RegistryNode & { readonly url: string }> {
  let registry: RegistryProcess | undefined = await spawnRegistry(brokers);
  const { port, url } = registry;
  return {
    url,
    async kill() {
      await registry?.kill('SIGKILL');
      registry = undefined;
    },
    async restart() {
      if (!registry) registry = await spawnRegistry(brokers, [], port);
    },
    async stop() {
      await registry?.kill('SIGTERM');
      registry = undefined;
    },
  };
}
