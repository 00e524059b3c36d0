import type { TopologySpec } from './topologySpec.js';

/**
 * The topology as a Mermaid flowchart: topics as stadiums, processors as boxes, stores as
 * cylinders. Dead-letter topics are left out to keep the picture readable.
 */
export function topologyMermaid(topology: TopologySpec): string {
  const id = (prefix: string, name: string) => `${prefix}_${name.replace(/[^a-zA-Z0-9]/g, '_')}`;
  const shown = (topic: string) => !topic.endsWith('.dlq');
  const lines = ['flowchart LR'];
  for (const topic of topology.topics.filter((t) => shown(t.name))) {
    lines.push(`  ${id('t', topic.name)}(["${topic.name}"])`);
  }
  for (const processor of topology.processors) {
    const p = id('p', processor.name);
    lines.push(`  ${p}["${processor.name}<br/><i>${processor.kind}</i>"]`);
    for (const input of processor.inputs) lines.push(`  ${id('t', input)} --> ${p}`);
    for (const store of processor.stores) {
      lines.push(`  ${id('s', store.name)}[("${store.name}")]`);
      lines.push(`  ${p} <--> ${id('s', store.name)}`);
    }
    for (const output of processor.outputs.filter(shown)) lines.push(`  ${p} --> ${id('t', output)}`);
  }
  return lines.join('\n');
}
