import type { Kafka } from 'kafkajs';
import { startTestStack } from './embeddedStack.js';

/**
 * Where an end-to-end scenario runs: a Kafka cluster and a schema registry with the topology
 * applied — the embedded ones, or real ones in containers (test/support/containerCluster.ts).
 * Scenarios see only this, so the same code runs against both.
 */
export interface TestCluster {
  /** Kafka bootstrap servers, as `kes app --brokers` takes them. */
  readonly bootstrap: string;
  readonly registryUrl: string;
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
