import { readSideScenario } from '../scenarios/readSide.scenario.js';
import { threeNodeCluster } from '../support/realCluster.js';

// The embedded suite's scenario, unchanged, on three real Kafka nodes; one of them is killed with
// SIGKILL during the load and restarted, beside the kes instance that is killed.
readSideScenario(threeNodeCluster);
