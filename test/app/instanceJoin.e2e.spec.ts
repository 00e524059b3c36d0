import { instanceJoinScenario } from '../scenarios/instanceJoin.scenario.js';
import { embeddedCluster } from '../support/testCluster.js';

instanceJoinScenario(embeddedCluster);
