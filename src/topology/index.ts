export * from './topologySpec.js';
export {
  applyTopology,
  formatPlan,
  planTopology,
  type ApplyOptions,
  type TopologyPlan,
} from './applyTopology.js';
export { describeTopology } from './describeTopology.js';
export { topologyMermaid } from './mermaid.js';
export { runtimeTopics, type RuntimeTopics } from './runtimeTopics.js';
