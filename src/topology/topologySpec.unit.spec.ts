import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { topology } from '../../topology/index.js';
import { describeTopology } from './describeTopology.js';
import { topologyMermaid } from './mermaid.js';
import { checkTopology, type TopologySpec } from './topologySpec.js';

describe('topology', () => {
  it('the reference topology is consistent', () => {
    expect(checkTopology(topology)).toEqual([]);
    const names = topology.topics.map((t) => t.name);
    for (const domain of ['stock', 'orders', 'invoices']) {
      expect(names).toEqual(
        expect.arrayContaining([`${domain}.commands`, `${domain}.events`, `${domain}.aggregates`]),
      );
    }
    expect(topology.topics.find((t) => t.name === 'orders.events')!.configs['retention.ms']).toBe('-1');
    expect(topology.topics.find((t) => t.name === 'orders.aggregates')!.cleanupPolicy).toBe('compact');
    // Every processor has its dead-letter topic.
    for (const p of topology.processors) expect(names).toContain(`${p.name}.dlq`);
  });

  it('reports undeclared topics, non-compacted changelogs and inputs that are not co-partitioned', () => {
    const broken: TopologySpec = {
      applicationId: 'x',
      topics: [
        {
          name: 'a',
          partitions: 2,
          key: 'k',
          cleanupPolicy: 'delete',
          configs: {},
          replicationFactor: 1,
          description: '',
        },
        {
          name: 'b',
          partitions: 3,
          key: 'k',
          cleanupPolicy: 'delete',
          configs: {},
          replicationFactor: 1,
          description: '',
        },
      ],
      processors: [
        {
          name: 'p',
          kind: 'policy',
          inputs: ['a', 'b'],
          stores: [{ name: 's', changelog: 'b', description: '' }],
          outputs: ['missing'],
          description: '',
        },
      ],
    };
    expect(checkTopology(broken)).toEqual([
      'processor p: topic missing is not declared',
      'store s: changelog b must be compacted',
      'processor p: its inputs must have the same partition count (co-partitioning)',
      'store s: changelog b must have as many partitions as the inputs',
    ]);
  });

  it('draws every processor, store and non-dead-letter topic in the Mermaid diagram', () => {
    const diagram = topologyMermaid(topology);
    expect(diagram.startsWith('flowchart LR')).toBe(true);
    for (const p of topology.processors) expect(diagram).toContain(`["${p.name}<br/>`);
    expect(diagram).toContain('s_stock_aggregates[("stock-aggregates")]');
    expect(diagram).toContain('t_orders_events --> p_order_fulfilment');
    expect(diagram).not.toContain('.dlq');
    expect(describeTopology(topology)).toContain('```mermaid\nflowchart LR');
  });

  it('is the diagram docs/topology.md shows', () => {
    const doc = fs.readFileSync(path.join(import.meta.dirname, '../../docs/topology.md'), 'utf8');
    expect(doc).toContain(`\`\`\`mermaid\n${topologyMermaid(topology)}\n\`\`\``);
  });
});
