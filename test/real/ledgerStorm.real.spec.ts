import { ledgerStormScenario } from '../scenarios/ledgerStorm.scenario.js';
import { threeNodeCluster } from '../support/realCluster.js';

// The embedded suite's scenario on three real Kafka nodes; one of them is killed with SIGKILL
// during the storm and restarted, beside the kes instance that is killed. Half the embedded
// suite's size (500 accounts, 25,000 operations), to keep the whole CI run within its budget:
// three replicas of every write make each command several times slower than on one embedded node.
ledgerStormScenario(threeNodeCluster, { accounts: 500, operations: 25_000 });
