import { instanceJoinScenario } from '../scenarios/instanceJoin.scenario.js';
import { threeNodeCluster } from '../support/realCluster.js';

// The embedded suite's scenario on three real Kafka nodes.
instanceJoinScenario(threeNodeCluster);
