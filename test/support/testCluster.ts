import type { Kafka } from 'kafkajs';
import { startTestStack } from './embeddedStack.js';

/** The Kafka nodes of a cluster that a scenario may kill and bring back. */
export interface BrokerNodes {
  readonly count: number;
  /** SIGKILL one node (0-based); resolves once it is gone. */
  kill(node: number): Promise<void>;
  /** Starts a killed node again on its data; resolves once it serves again. */
  restart(node: number): Promise<void>;
}

/** The schema registry of a cluster, as a process a scenario may kill and bring back. */
export interface RegistryNode {
  /** SIGKILL; resolves once it is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same URL; resolves once it listens. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Where an end-to-end scenario runs: a Kafka cluster and a schema registry with the topology
 * applied — the embedded ones, real Kafka nodes as child processes (test/support/realCluster.ts),
 * or containers (test/support/containerCluster.ts). Scenarios see only this, so the same code runs
 * against each.
 */
export interface TestCluster {
  /** Kafka bootstrap servers, as `kes app --brokers` takes them. */
  readonly bootstrap: string;
  readonly registryUrl: string;
  /** Present where brokers can be killed: three real nodes (the cluster keeps serving), or one process. */
  readonly brokers?: BrokerNodes;
  /** Present where the registry runs as a process of its own. */
  readonly registry?: RegistryNode;
  kafka(clientId: string): Kafka;
  stop(): Promise<void>;
}

/** The embedded broker and registry, in this process. */
export async function embeddedCluster(): Promise<TestCluster> {
  const stack = await startTestStack({ groupInitialRebalanceDelayMs: 0 });
  return {
    bootstrap: stack.broker.broker.bootstrap,
    registryUrl: stack.registry.url,
    kafka: (clientId) => stack.broker.kafka(clientId),
    stop: () => stack.stop(),
  };
}
