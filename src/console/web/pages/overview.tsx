import { useRef } from 'preact/hooks';
import { api, call } from '../api';
import { type TopologyJson, TopologyDiagram } from '../topologyDiagram';
import { Loading, Problem, Section, useLoad } from '../ui';

interface Instances {
  self: string;
  instances: { endpoint: string; processors: Record<string, number[]> }[];
}
interface Lag {
  processors: {
    processor: string;
    lag: number;
    partitions: { topic: string; partition: number; committed: number; end: number; lag: number }[];
  }[];
}
interface Stats {
  at: number;
  processed: Record<string, number>;
  commands: Record<string, number>;
}
interface Ready {
  status: string;
  step?: string;
  waitingFor?: string;
  processors?: Record<string, { ready: boolean; partitions: number[] }>;
  waiting?: { processor: string; partition: number; waitingFor: string; attempts: number; error?: string }[];
}

/** The overview: readiness and throughput, consumer lag (live), the instances and the topology. */
export function Overview() {
  const topology = useLoad(() => api<TopologyJson>('/admin/topology'), []);
  const lag = useLoad(() => api<Lag>('/admin/lag'), [], 2000);
  // A rebuilt view's processors are measured by their serving generation (`products-view.g2`).
  const lagOf = Object.fromEntries(
    (lag.data?.processors ?? []).map((p) => [p.processor.replace(/\.g\d+$/, ''), p.lag]),
  );
  return (
    <div class="page">
      <h1>Overview{topology.data ? <span class="muted"> · {topology.data.applicationId}</span> : null}</h1>
      <div class="grid2">
        <Readiness />
        <Throughput />
      </div>
      <Section
        title="Consumer lag"
        actions={
          <span class="live" aria-label="lag updated">
            live · updated {lag.updatedAt ? new Date(lag.updatedAt).toLocaleTimeString() : '–'}
          </span>
        }
      >
        <Problem error={lag.error} />
        <table aria-label="consumer lag">
          <thead>
            <tr>
              <th>Processor</th>
              <th class="num">Lag</th>
              <th>Partitions (committed / end)</th>
            </tr>
          </thead>
          <tbody>
            {(lag.data?.processors ?? []).map((p) => (
              <tr key={p.processor} class={p.lag > 0 ? 'behind' : ''}>
                <td>{p.processor}</td>
                <td class="num" data-lag={p.lag}>
                  {p.lag}
                </td>
                <td class="partitions">
                  {p.partitions
                    .filter((q) => q.end > 0)
                    .map((q) => (
                      <span
                        key={`${q.topic}:${q.partition}`}
                        title={`${q.topic}[${q.partition}]`}
                        class={q.lag > 0 ? 'chip behind' : 'chip'}
                      >
                        {q.partition}: {q.committed}/{q.end}
                      </span>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <Instances />
      <Section title="Topology">
        <Problem error={topology.error} />
        <Loading when={topology.loading && !topology.data} />
        {topology.data ? (
          <>
            <p class="muted">
              {topology.data.processors.length} processors, {topology.data.topics.length} topics,{' '}
              {topology.data.processors.reduce((n, p) => n + p.stores.length, 0)} stores. Hover a node for its
              description.
            </p>
            <TopologyDiagram topology={topology.data} lag={lagOf} />
          </>
        ) : null}
      </Section>
    </div>
  );
}

function Readiness() {
  const ready = useLoad(async () => (await call<Ready>('GET', '/health/ready')).body, [], 2000);
  const data = ready.data;
  return (
    <Section title="Readiness">
      {data ? (
        <>
          <p>
            <span class={`badge ${data.status === 'READY' ? 'ok' : 'warn'}`} aria-label="readiness">
              {data.status}
            </span>{' '}
            {data.step ? <span class="muted">{data.step}</span> : null}
            {data.waitingFor ? <span class="muted"> · waiting for {data.waitingFor}</span> : null}
          </p>
          <p class="muted">
            {Object.values(data.processors ?? {}).filter((p) => p.ready).length} of{' '}
            {Object.keys(data.processors ?? {}).length} processors ready here.
          </p>
          {(data.waiting ?? []).map((w) => (
            <div class="problem" key={`${w.processor}:${w.partition}`}>
              {w.processor}[{w.partition}] waits for {w.waitingFor} ({w.attempts} attempts)
              {w.error ? `: ${w.error}` : ''}
            </div>
          ))}
        </>
      ) : (
        <Problem error={ready.error} />
      )}
    </Section>
  );
}

/** Records processed and commands answered per second, from two samples of this instance's counters. */
function Throughput() {
  const previous = useRef<Stats | undefined>();
  const rates = useRef<{ processed: number; commands: number } | undefined>();
  const stats = useLoad(
    async () => {
      const now = await api<Stats>('/admin/stats');
      const before = previous.current;
      if (before && now.at > before.at) {
        const seconds = (now.at - before.at) / 1000;
        const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
        rates.current = {
          processed: (sum(now.processed) - sum(before.processed)) / seconds,
          commands: (sum(now.commands) - sum(before.commands)) / seconds,
        };
      }
      previous.current = now;
      return now;
    },
    [],
    2000,
  );
  const total = (r: Record<string, number> | undefined) => Object.values(r ?? {}).reduce((a, b) => a + b, 0);
  return (
    <Section title="Throughput (this instance)">
      <Problem error={stats.error} />
      <div class="stats">
        <div>
          <span class="big" aria-label="records per second">
            {rates.current ? rates.current.processed.toFixed(1) : '–'}
          </span>
          records/s processed
          <div class="muted">{total(stats.data?.processed)} since start</div>
        </div>
        <div>
          <span class="big" aria-label="commands per second">
            {rates.current ? rates.current.commands.toFixed(1) : '–'}
          </span>
          HTTP commands/s
          <div class="muted">
            {Object.entries(stats.data?.commands ?? {})
              .map(([status, n]) => `${status} ${n}`)
              .join(' · ') || 'none yet'}
          </div>
        </div>
      </div>
    </Section>
  );
}

/** Which partitions of each processor each instance owns: a row per processor, a column per instance. */
function Instances() {
  const instances = useLoad(() => api<Instances>('/admin/instances'), [], 5000);
  const list = instances.data?.instances ?? [];
  const processors = [...new Set(list.flatMap((i) => Object.keys(i.processors)))].sort();
  return (
    <Section title={`Instances (${list.length})`}>
      <Problem error={instances.error} />
      <div class="scroll">
        <table aria-label="instances">
          <thead>
            <tr>
              <th>Processor</th>
              {list.map((instance) => (
                <th key={instance.endpoint}>
                  {instance.endpoint || 'no endpoint'}
                  {instance.endpoint === instances.data?.self ? <span class="badge">this one</span> : null}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {processors.map((processor) => (
              <tr key={processor}>
                <td>{processor}</td>
                {list.map((instance) => (
                  <td key={instance.endpoint}>
                    {instance.processors[processor]?.join(', ') ?? <span class="muted">–</span>}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Section>
  );
}
