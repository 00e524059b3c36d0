import { type KesProcess, spawnKes } from './kesProcess.js';

export interface BrokerProcess extends KesProcess {
  /** host:port for clients' bootstrap servers. */
  readonly bootstrap: string;
}

/**
 * Runs `kes broker` as a child process and resolves once it listens. Used where a test must kill
 * the broker with SIGKILL, and by the benchmarks (the broker in its own process, as in production).
 */
export async function spawnBroker(
  dataDir: string,
  port = 0,
  extraArgs: string[] = [],
  nodeArgs: string[] = [],
): Promise<BrokerProcess> {
  const broker = await spawnKes(
    ['broker', '--port', String(port), '--data', dataDir, ...extraArgs],
    nodeArgs,
  );
  return { ...broker, output: broker.output, kill: broker.kill, bootstrap: `${broker.host}:${broker.port}` };
}
