import { readSideScenario } from '../scenarios/readSide.scenario.js';
import { embeddedCluster } from '../support/testCluster.js';

// The scenario against the embedded broker and registry (test/real runs it against containers).
readSideScenario(embeddedCluster);
