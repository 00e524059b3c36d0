import { faultToleranceScenario } from '../scenarios/faultTolerance.scenario.js';
import { threeNodeCluster } from '../support/realCluster.js';

// The embedded suite's scenario on three real Kafka nodes: one of them is killed under HTTP load.
faultToleranceScenario(threeNodeCluster);
