import dagre from '@dagrejs/dagre';
import { useMemo, useState } from 'preact/hooks';

export interface TopologyJson {
  readonly applicationId: string;
  readonly topics: readonly {
    name: string;
    partitions: number;
    key: string;
    cleanupPolicy: string;
    description: string;
  }[];
  readonly processors: readonly {
    name: string;
    kind: string;
    inputs: readonly string[];
    outputs: readonly string[];
    stores: readonly { name: string; changelog: string; description: string }[];
    description: string;
  }[];
}

type NodeKind = 'processor' | 'topic' | 'store';
interface Node {
  readonly id: string;
  readonly kind: NodeKind;
  readonly label: string;
  readonly title: string;
  readonly sub?: string;
}

const SIZE: Record<NodeKind, { width: number; height: number }> = {
  processor: { width: 190, height: 44 },
  topic: { width: 210, height: 30 },
  store: { width: 180, height: 40 },
};

/**
 * The topology as a diagram, laid out top to bottom by dagre: topics (pills) feed processors (boxes) which write
 * topics and keep stores (cylinders; a store's changelog topic is shown in it, not as a node).
 * `lag` colours each processor by how far it is behind.
 */
export function TopologyDiagram({ topology, lag }: { topology: TopologyJson; lag?: Record<string, number> }) {
  const layout = useMemo(() => lay(topology), [topology]);
  const [fit, setFit] = useState(true);
  return (
    <>
      <div class="row">
        <button type="button" onClick={() => setFit(!fit)}>
          {fit ? 'Actual size' : 'Fit to width'}
        </button>
        <span class="muted">
          Dead-letter topics are left out (see Dead letters); a store's changelog is written in it.
        </span>
      </div>
      <div class="diagram" aria-label="topology diagram">
        <svg
          class={fit ? 'fit' : ''}
          width={fit ? undefined : layout.width}
          height={fit ? undefined : layout.height}
          viewBox={`0 0 ${layout.width} ${layout.height}`}
          role="img"
        >
          <defs>
            <marker
              id="arrow"
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto-start-reverse"
            >
              <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead" />
            </marker>
          </defs>
          {layout.edges.map((edge, i) => (
            <path
              key={i}
              d={edge.d}
              class={`edge ${edge.store ? 'edge-store' : ''}`}
              marker-end={edge.store ? undefined : 'url(#arrow)'}
            />
          ))}
          {layout.nodes.map((node) => {
            const behind = node.kind === 'processor' ? (lag?.[node.id.slice(2)] ?? 0) : 0;
            return (
              <g
                key={node.id}
                transform={`translate(${node.x - node.width / 2},${node.y - node.height / 2})`}
                class={`node node-${node.kind}${behind > 0 ? ' behind' : ''}`}
                data-name={node.label}
              >
                <title>{node.title}</title>
                {node.kind === 'store' ? (
                  <path
                    d={`M0,6 a${node.width / 2},6 0 0,0 ${node.width},0 a${node.width / 2},6 0 0,0 ${-node.width},0 v${node.height - 12} a${node.width / 2},6 0 0,0 ${node.width},0 v${-(node.height - 12)}`}
                  />
                ) : (
                  <rect
                    width={node.width}
                    height={node.height}
                    rx={node.kind === 'topic' ? node.height / 2 : 6}
                  />
                )}
                <text
                  x={node.width / 2}
                  y={node.sub ? node.height / 2 - 3 : node.height / 2 + 4}
                  text-anchor="middle"
                >
                  {node.label}
                </text>
                {node.sub ? (
                  <text x={node.width / 2} y={node.height / 2 + 11} text-anchor="middle" class="sub">
                    {node.sub}
                    {behind > 0 ? ` · lag ${behind}` : ''}
                  </text>
                ) : null}
              </g>
            );
          })}
        </svg>
      </div>
    </>
  );
}

function lay(topology: TopologyJson) {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'TB', nodesep: 16, ranksep: 44, marginx: 10, marginy: 10 });
  graph.setDefaultEdgeLabel(() => ({}));
  const changelogs = new Set(topology.processors.flatMap((p) => p.stores.map((s) => s.changelog)));
  // Shown elsewhere: a store's changelog in the store, dead-letter topics on the Dead letters page.
  const hidden = (topic: string) => changelogs.has(topic) || topic.endsWith('.dlq');
  const topics = new Map(topology.topics.map((t) => [t.name, t]));
  const nodes = new Map<string, Node>();
  const add = (node: Node) => {
    if (nodes.has(node.id)) return;
    nodes.set(node.id, node);
    graph.setNode(node.id, { ...SIZE[node.kind] });
  };
  const storeEdges = new Set<string>();
  for (const processor of topology.processors) {
    add({
      id: `p:${processor.name}`,
      kind: 'processor',
      label: processor.name,
      sub: processor.kind,
      title: processor.description,
    });
    for (const name of [...processor.inputs, ...processor.outputs]) {
      if (hidden(name)) continue;
      const topic = topics.get(name);
      add({
        id: `t:${name}`,
        kind: 'topic',
        label: name,
        title: `${name}: ${topic?.description ?? ''} (${topic?.partitions ?? '?'} partitions, key: ${topic?.key ?? '?'})`,
      });
    }
    for (const input of processor.inputs)
      if (!hidden(input)) graph.setEdge(`t:${input}`, `p:${processor.name}`);
    for (const output of processor.outputs)
      if (!hidden(output)) graph.setEdge(`p:${processor.name}`, `t:${output}`);
    for (const store of processor.stores) {
      add({
        id: `s:${store.name}`,
        kind: 'store',
        label: store.name,
        sub: store.changelog,
        title: `${store.name}: ${store.description} (changelog ${store.changelog})`,
      });
      graph.setEdge(`p:${processor.name}`, `s:${store.name}`);
      storeEdges.add(`p:${processor.name}->s:${store.name}`);
    }
  }
  dagre.layout(graph);
  const { width = 0, height = 0 } = graph.graph();
  return {
    width,
    height,
    nodes: [...nodes.values()].map((node) => {
      const placed = graph.node(node.id);
      return { ...node, x: placed.x, y: placed.y, width: placed.width, height: placed.height };
    }),
    edges: graph.edges().map((e) => {
      const points = graph.edge(e).points ?? [];
      return {
        store: storeEdges.has(`${e.v}->${e.w}`),
        d: points
          .map((p: { x: number; y: number }, i: number) => `${i === 0 ? 'M' : 'L'}${p.x},${p.y}`)
          .join(' '),
      };
    }),
  };
}
