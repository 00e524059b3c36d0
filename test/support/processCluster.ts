import { Kafka, logLevel } from 'kafkajs';
import { type BrokerProcess, spawnBroker } from './brokerProcess.js';
import { applyTestTopology } from './embeddedStack.js';
import { killableRegistry } from './registryProcess.js';
import { tempDir } from './tempDir.js';
import type { TestCluster } from './testCluster.js';

/**
 * The embedded broker and registry, each as a `kes` process of its own, as users run them: the
 * broker can be killed (SIGKILL) and started again on its port and data, the registry too.
 */
export async function processCluster(): Promise<TestCluster> {
  const dir = tempDir('kes-cluster-');
  const args = ['--no-auto-create-topics', '--initial-rebalance-delay-ms', '0'];
  let broker: BrokerProcess | undefined = await spawnBroker(dir.path, 0, args);
  const { port, bootstrap } = broker;
  const registry = await killableRegistry(bootstrap).catch(async (err: unknown) => {
    await broker?.kill('SIGKILL');
    dir.remove();
    throw err;
  });
  const kafka = (clientId: string) =>
    new Kafka({ clientId, brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 10 } });
  const stop = async () => {
    await registry.stop();
    await broker?.kill('SIGTERM');
    dir.remove();
  };
  try {
    await applyTestTopology(kafka('kes-test-topology'));
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    bootstrap,
    registryUrl: registry.url,
    registry,
    brokers: {
      count: 1,
      async kill() {
        await broker?.kill('SIGKILL');
        broker = undefined;
      },
      async restart() {
        broker ??= await spawnBroker(dir.path, port, args);
      },
    },
    kafka,
    stop,
  };
}
