import { useEffect, useState } from 'preact/hooks';
import { api, enc, readEvents } from '../api';
import type { TopologyJson } from '../topologyDiagram';
import { Json, Problem, Section, time, useLoad } from '../ui';

interface TailRecord {
  topic: string;
  partition: number;
  offset: string;
  timestamp: string;
  key: string | null;
  headers: Record<string, string>;
  type: string | null;
  value: unknown;
}

const KEEP = 200;

/** A decoded tail of a topic, over server-sent events; newest first. */
export function Live({ topic: initial }: { topic?: string | undefined }) {
  const topology = useLoad(() => api<TopologyJson>('/admin/topology'), []);
  const [topic, setTopic] = useState(initial ?? '');
  const [from, setFrom] = useState<'end' | 'beginning'>('end');
  const [running, setRunning] = useState<{ topic: string; from: string } | undefined>();
  const [records, setRecords] = useState<TailRecord[]>([]);
  const [error, setError] = useState<unknown>();
  const [connected, setConnected] = useState(false);
  const topics = (topology.data?.topics ?? []).map((t) => t.name);
  const chosen = topic || topics[0] || '';
  useEffect(() => {
    if (!running) return;
    const abort = new AbortController();
    setRecords([]);
    setError(undefined);
    setConnected(true);
    readEvents(
      `/admin/topics/${enc(running.topic)}/tail?from=${running.from}`,
      abort.signal,
      (event, data) => {
        if (event === 'record') setRecords((old) => [JSON.parse(data) as TailRecord, ...old].slice(0, KEEP));
      },
    )
      .then(() => {
        // The server ended the stream (the instance stopping, its consumer lost): start again.
        if (!abort.signal.aborted) setError(new Error('the stream ended; start it again'));
      })
      .catch((err: Error) => {
        if (err.name !== 'AbortError') setError(err);
      })
      .finally(() => {
        setConnected(false);
        if (!abort.signal.aborted) setRunning(undefined);
      });
    return () => abort.abort();
  }, [running]);
  return (
    <div class="page">
      <h1>Live</h1>
      <Section title="Tail a topic">
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            setRunning(running ? undefined : { topic: chosen, from });
          }}
        >
          <select
            aria-label="topic"
            value={chosen}
            disabled={!!running}
            onChange={(e) => setTopic(e.currentTarget.value)}
          >
            {topics.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
          <select
            aria-label="from"
            value={from}
            disabled={!!running}
            onChange={(e) => setFrom(e.currentTarget.value as 'end' | 'beginning')}
          >
            <option value="end">new records</option>
            <option value="beginning">from the beginning</option>
          </select>
          <button type="submit" class="primary">
            {running ? 'Stop' : 'Start'}
          </button>
          {connected ? <span class="live">streaming {running?.topic}</span> : null}
        </form>
        <Problem error={error ?? topology.error} />
      </Section>
      <ol class="tail" aria-label="tail">
        {records.map((r) => (
          <li key={`${r.partition}:${r.offset}`}>
            <header>
              <span class="seq">
                {r.partition}:{r.offset}
              </span>{' '}
              <strong>{r.type ?? 'raw'}</strong> key <code>{r.key ?? 'null'}</code>{' '}
              <span class="muted">{time(Number(r.timestamp) || r.timestamp)}</span>
            </header>
            <details>
              <summary>headers ({Object.keys(r.headers).length})</summary>
              <Json value={r.headers} />
            </details>
            <Json value={r.value} />
          </li>
        ))}
      </ol>
    </div>
  );
}
