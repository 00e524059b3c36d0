import { type KesProcess, spawnKes } from './kesProcess.js';

export interface RegistryProcess extends KesProcess {
  readonly url: string;
}

/** Runs `kes registry` as a child process and resolves once it listens. */
export async function spawnRegistry(brokers: string, extraArgs: string[] = []): Promise<RegistryProcess> {
  const registry = await spawnKes(['registry', '--port', '0', '--brokers', brokers, ...extraArgs]);
  return {
    ...registry,
    output: registry.output,
    kill: registry.kill,
    url: `http://${registry.host}:${registry.port}`,
  };
}
