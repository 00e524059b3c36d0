import { it } from 'vitest';
import { writeSideScenario } from '../scenarios/writeSide.scenario.js';
import { containerCluster, containersUnavailable } from '../support/containerCluster.js';

// The embedded suite's scenario, unchanged, against real Kafka and Schema Registry containers.
const unavailable = await containersUnavailable();
if (unavailable) {
  it.skip(`writeSide against real Kafka and Schema Registry: skipped, ${unavailable}`, () => {});
} else {
  writeSideScenario(containerCluster);
}
