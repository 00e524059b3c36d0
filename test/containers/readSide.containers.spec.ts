import { it } from 'vitest';
import { readSideScenario } from '../scenarios/readSide.scenario.js';
import { containerCluster, containersUnavailable } from '../support/containerCluster.js';

// The embedded suite's scenario, unchanged, against real Kafka and Schema Registry containers.
const unavailable = await containersUnavailable();
if (unavailable) {
  it.skip(`readSide against real Kafka and Schema Registry: skipped, ${unavailable}`, () => {});
} else {
  readSideScenario(containerCluster);
}
