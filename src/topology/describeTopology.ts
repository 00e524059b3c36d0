import { topologyMermaid } from './mermaid.js';
import { type TopologySpec, topicConfigs } from './topologySpec.js';

/** A readable description of the topology: its topics, its processors, and the diagram. */
export function describeTopology(topology: TopologySpec): string {
  const out: string[] = [`Application: ${topology.applicationId}`, '', 'Topics:'];
  const width = Math.max(...topology.topics.map((t) => t.name.length));
  for (const topic of topology.topics) {
    const configs = Object.entries(topicConfigs(topic))
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    out.push(`  ${topic.name.padEnd(width)}  ${topic.partitions} partitions, key: ${topic.key}, ${configs}`);
    out.push(`  ${''.padEnd(width)}  ${topic.description}`);
  }
  out.push('', 'Processors:');
  for (const p of topology.processors) {
    out.push(`  ${p.name} (${p.kind}): ${p.description}`);
    out.push(`    in:  ${p.inputs.join(', ')}`);
    out.push(`    out: ${p.outputs.join(', ')}`);
    for (const store of p.stores)
      out.push(`    store: ${store.name} (changelog ${store.changelog}): ${store.description}`);
  }
  out.push('', '```mermaid', topologyMermaid(topology), '```');
  return out.join('\n');
}
