import { faultToleranceScenario } from '../scenarios/faultTolerance.scenario.js';
import { processCluster } from '../support/processCluster.js';

// The embedded broker and registry as processes of their own: both are killed and started again.
faultToleranceScenario(processCluster);
