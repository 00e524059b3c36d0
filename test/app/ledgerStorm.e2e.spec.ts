import { ledgerStormScenario } from '../scenarios/ledgerStorm.scenario.js';
import { embeddedCluster } from '../support/testCluster.js';

// The scenario against the embedded broker and registry (test/real runs it against containers).
ledgerStormScenario(embeddedCluster);
