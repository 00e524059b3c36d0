import { it } from 'vitest';
import { ledgerStormScenario } from '../scenarios/ledgerStorm.scenario.js';
import { containerCluster, containersUnavailable } from '../support/containerCluster.js';

// The embedded suite's scenario, unchanged, against real Kafka and Schema Registry containers.
const unavailable = await containersUnavailable();
if (unavailable) {
  it.skip(`ledgerStorm against real Kafka and Schema Registry: skipped, ${unavailable}`, () => {});
} else {
  ledgerStormScenario(containerCluster);
}
