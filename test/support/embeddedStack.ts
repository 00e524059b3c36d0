import type { Admin, Kafka } from 'kafkajs';
import type { BrokerOptions } from '../../src/broker/index.js';
import type { RegistryHandle } from '../../src/registry/index.js';
import { applyTopology } from '../../src/topology/applyTopology.js';
import { topology } from '../../topology/index.js';
import { startTestBroker, type TestBroker } from './embeddedBroker.js';
import { startTestRegistry } from './embeddedRegistry.js';

export interface TestStack {
  readonly broker: TestBroker;
  readonly registry: RegistryHandle;
  /** Stops the registry and the broker, and removes the broker's data. */
  stop(): Promise<void>;
}

/**
 * The infrastructure kes runs on, embedded for integration tests: a broker on a free port, a
 * schema registry on it, and the application's topology applied.
 */
export async function startTestStack(options: BrokerOptions = {}): Promise<TestStack> {
  const broker = await startTestBroker({ autoCreateTopics: false, ...options });
  const registry = await startTestRegistry(broker);
  await applyTestTopology(broker.kafka('kes-test-topology'));
  return {
    broker,
    registry,
    async stop() {
      await registry.close();
      await broker.stop();
    },
  };
}

/** Applies the application's topology to a cluster, failing on anything it refuses. */
export async function applyTestTopology(kafka: Kafka): Promise<void> {
  const admin: Admin = kafka.admin();
  await admin.connect();
  try {
    const plan = await applyTopology(admin, topology);
    if (plan.refused.length > 0) throw new Error(plan.refused.join('\n'));
  } finally {
    await admin.disconnect();
  }
}
