import { useEffect, useState } from 'preact/hooks';
import { api, call, enc } from '../api';
import { href } from '../router';
import { Json, Loading, Problem, ProgressBar, RowsTable, Section, time, useLoad } from '../ui';

interface ViewState {
  view: string;
  active: number;
  building: number | null;
  updatedAt: string;
}
interface RebuildProgress {
  generation: number;
  consumed: number;
  total: number;
  fraction: number;
}
interface ViewInfo {
  name: string;
  description: string;
  index: string | null;
  state: ViewState;
  progress: RebuildProgress | null;
}
interface Page {
  items: unknown[];
  next: string | null;
}

export function ViewList() {
  const views = useLoad(() => api<{ views: ViewInfo[] }>('/admin/views'), [], 3000);
  return (
    <div class="page">
      <h1>Views</h1>
      <Problem error={views.error} />
      <Loading when={views.loading && !views.data} />
      <table aria-label="views">
        <thead>
          <tr>
            <th>View</th>
            <th>Serving</th>
            <th>Rebuild</th>
            <th>Index</th>
            <th>Description</th>
          </tr>
        </thead>
        <tbody>
          {(views.data?.views ?? []).map((view) => (
            <tr key={view.name}>
              <td>
                <a href={href('views', view.name)}>{view.name}</a>
              </td>
              <td>generation {view.state.active}</td>
              <td>
                {view.progress ? (
                  <ProgressBar fraction={view.progress.fraction} label={`${view.name} rebuild`} />
                ) : (
                  <span class="muted">–</span>
                )}
              </td>
              <td>{view.index ?? <span class="muted">–</span>}</td>
              <td class="muted">{view.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A view: its rows page by page, one row by key, and its rebuild (a new generation, then the switch). */
export function ViewPage({ name }: { name: string }) {
  const info = useLoad(
    () => api<{ views: ViewInfo[] }>('/admin/views').then((r) => r.views.find((v) => v.name === name)),
    [name],
  );
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [indexValue, setIndexValue] = useState('');
  const [appliedIndex, setAppliedIndex] = useState('');
  useEffect(() => {
    setCursors([null]);
    setAppliedIndex('');
    setIndexValue('');
  }, [name]);
  const cursor = cursors.at(-1) ?? null;
  const index = info.data?.index ?? null;
  const rows = useLoad(
    () => {
      const query = new URLSearchParams({ limit: '20' });
      if (cursor) query.set('cursor', cursor);
      if (index && appliedIndex) query.set(index, appliedIndex);
      return api<Page>(`/views/${enc(name)}?${query}`);
    },
    [name, cursor, appliedIndex, index],
    5000,
  );
  return (
    <div class="page">
      <h1>
        <a href={href('views')}>Views</a> / {name}
      </h1>
      {info.data ? <p class="muted">{info.data.description}</p> : null}
      <div class="grid2">
        <Lookup name={name} />
        <Rebuild name={name} />
      </div>
      <Section
        title="Rows"
        actions={
          <span class="row">
            <button
              type="button"
              disabled={cursors.length < 2}
              onClick={() => setCursors(cursors.slice(0, -1))}
            >
              ‹ Previous
            </button>
            <span class="muted" aria-label="page number">
              page {cursors.length}
            </span>
            <button
              type="button"
              disabled={!rows.data?.next}
              onClick={() => rows.data?.next && setCursors([...cursors, rows.data.next])}
            >
              Next ›
            </button>
          </span>
        }
      >
        {index ? (
          <form
            class="row"
            onSubmit={(e) => {
              e.preventDefault();
              setCursors([null]);
              setAppliedIndex(indexValue.trim());
            }}
          >
            <input
              aria-label={`index ${index}`}
              placeholder={`${index} (index)`}
              value={indexValue}
              onInput={(e) => setIndexValue(e.currentTarget.value)}
            />
            <button type="submit">Filter</button>
          </form>
        ) : null}
        <Problem error={rows.error} />
        <Loading when={rows.loading && !rows.data} />
        {rows.data && rows.data.items.length === 0 ? <p class="muted">No rows.</p> : null}
        <RowsTable rows={rows.data?.items ?? []} label="rows" />
      </Section>
    </div>
  );
}

function Lookup({ name }: { name: string }) {
  const [key, setKey] = useState('');
  const [row, setRow] = useState<{ status: number; body: unknown } | undefined>();
  return (
    <Section title="Look up a key">
      <form
        class="row"
        onSubmit={async (e) => {
          e.preventDefault();
          if (key.trim() === '') return;
          const answer = await call('GET', `/views/${enc(name)}/${enc(key.trim())}`);
          setRow({ status: answer.status, body: answer.body });
        }}
      >
        <input
          aria-label="row key"
          placeholder="key"
          value={key}
          onInput={(e) => setKey(e.currentTarget.value)}
        />
        <button type="submit">Look up</button>
      </form>
      {row ? (
        <div aria-label="looked up row">
          {row.status === 200 ? null : <strong>HTTP {row.status}</strong>}
          <Json value={row.body} />
        </div>
      ) : null}
    </Section>
  );
}

/**
 * Starts a rebuild and follows it: the progress of the generation being built, until queries
 * switch to it (the serving generation becomes the one built).
 */
function Rebuild({ name }: { name: string }) {
  const [target, setTarget] = useState<number | undefined>();
  const [error, setError] = useState<unknown>();
  const [log, setLog] = useState<string[]>([]);
  const state = useLoad(
    () => api<ViewState & { progress: RebuildProgress | null }>(`/admin/views/${enc(name)}`),
    [name],
    target !== undefined ? 500 : 5000,
  );
  const data = state.data;
  const switched =
    target !== undefined && data !== undefined && data.active >= target && data.building === null;
  useEffect(() => {
    if (!data) return;
    const line =
      data.building !== null
        ? `building generation ${data.building}: ${Math.round((data.progress?.fraction ?? 0) * 100)}%`
        : `serving generation ${data.active}`;
    setLog((old) => (old.at(-1) === line ? old : [...old.slice(-20), line]));
  }, [data?.active, data?.building, data?.progress?.fraction]);
  const start = async () => {
    setError(undefined);
    try {
      const started = await api<ViewState>(`/admin/views/${enc(name)}/rebuild`, 'POST');
      setTarget(started.building ?? started.active);
      setLog((old) => [...old, `rebuild requested: generation ${started.building ?? started.active}`]);
      state.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Section title="Rebuild">
      <p class="muted">
        A rebuild reads the view's sources from offset 0 into a new generation beside the serving one; queries
        switch to it once it has caught up.
      </p>
      {data ? (
        <p>
          Serving <strong aria-label="serving generation">generation {data.active}</strong>
          {data.building !== null ? <> · building generation {data.building}</> : null}{' '}
          <span class="muted">since {time(data.updatedAt)}</span>
        </p>
      ) : null}
      {(data?.building !== null && data?.building !== undefined) || (target !== undefined && !switched) ? (
        <ProgressBar fraction={data?.progress?.fraction ?? 0} label="rebuild progress" />
      ) : null}
      {data?.progress ? (
        <p class="muted">
          {data.progress.consumed} of {data.progress.total} records read
        </p>
      ) : null}
      {switched ? (
        <p class="ok" role="status" aria-label="rebuild done">
          Switched: queries are served by generation {data.active}.
        </p>
      ) : null}
      <button
        type="button"
        class="primary"
        disabled={data?.building !== null && data?.building !== undefined}
        onClick={start}
      >
        Rebuild {name}
      </button>
      <Problem error={error ?? state.error} />
      {log.length > 1 ? (
        <ol class="log" aria-label="rebuild log">
          {log.map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ol>
      ) : null}
    </Section>
  );
}
