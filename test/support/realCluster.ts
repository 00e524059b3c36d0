import { Kafka, logLevel } from 'kafkajs';
import { type KafkaNodes, type KafkaNodesOptions, startKafkaNodes } from '../kafka/kafkaNodes.js';
import { applyTestTopology } from './embeddedStack.js';
import { killableRegistry } from './registryProcess.js';
import type { TestCluster } from './testCluster.js';

export type RealCluster = TestCluster & { readonly nodes: KafkaNodes };

/**
 * Real Apache Kafka (the version test/kafka/pom.xml pins) as child JVMs — three KRaft nodes by
 * default, one for the faster tiers — with `kes registry` running against it as a process of its
 * own and the topology applied with every topic replicated to each node.
 */
export async function realCluster(options: KafkaNodesOptions = {}): Promise<RealCluster> {
  const nodes = await startKafkaNodes(options);
  const registry = await killableRegistry(nodes.bootstrap).catch(async (err: unknown) => {
    await nodes.stop();
    throw err;
  });
  // Patient enough to outlast a lost broker's leader elections, as kes app's own clients are.
  const kafka = (clientId: string) =>
    new Kafka({
      clientId,
      brokers: nodes.bootstrap.split(','),
      logLevel: logLevel.NOTHING,
      retry: { retries: 10 },
    });
  const stop = async () => {
    await registry.stop();
    await nodes.stop();
  };
  try {
    await applyTestTopology(kafka('kes-test-topology'));
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    bootstrap: nodes.bootstrap,
    registryUrl: registry.url,
    nodes,
    registry,
    ...(nodes.count > 1 ? { brokers: nodes } : {}),
    kafka,
    stop,
  };
}

/** The three-node cluster of the real tier. */
export const threeNodeCluster = (): Promise<TestCluster> => realCluster({ nodes: 3 });
