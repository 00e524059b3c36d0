import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiFailure } from './api';

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: Error | undefined;
  readonly loading: boolean;
  /** When the last answer came (epoch ms). */
  readonly updatedAt: number | undefined;
  readonly reload: () => void;
}

/**
 * Loads with `load` whenever `deps` change and, with `everyMs`, again that long after each answer
 * (the page's live parts: never two loads of one part at once, however slow the API); the last
 * answer stays shown while the next is fetched.
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[], everyMs?: number): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean; at?: number }>({
    loading: true,
  });
  const [tick, setTick] = useState(0);
  const current = useRef(0);
  useEffect(() => {
    const run = ++current.current;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let ended = false;
    setState((s) => ({ ...s, loading: true }));
    load()
      .then(
        (data) => run === current.current && setState({ data, loading: false, at: Date.now() }),
        (error: Error) => run === current.current && setState((s) => ({ ...s, error, loading: false })),
      )
      .finally(() => {
        if (everyMs && !ended) timer = setTimeout(() => setTick((t) => t + 1), everyMs);
      });
    return () => {
      ended = true;
      clearTimeout(timer);
    };
  }, [...deps, tick, everyMs]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, updatedAt: state.at, reload };
}

export function Problem({ error }: { error: unknown }) {
  if (!error) return null;
  const code = error instanceof ApiFailure ? error.code : 'ERROR';
  return (
    <div class="problem" role="alert">
      <strong>{code}</strong> {(error as Error).message}
    </div>
  );
}

/** JSON, indented; long values scroll. */
export function Json({ value, label }: { value: unknown; label?: string }) {
  return (
    <pre class="json" aria-label={label}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

export function Section({
  title,
  children,
  actions,
}: {
  title: string;
  children: ComponentChildren;
  actions?: ComponentChildren;
}) {
  return (
    <section class="card">
      <header>
        <h2>{title}</h2>
        {actions ? <div class="actions">{actions}</div> : null}
      </header>
      {children}
    </section>
  );
}

export function Loading({ when }: { when: boolean }) {
  return when ? <span class="muted">loading…</span> : null;
}

export function time(value: string | number): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString().replace('T', ' ').replace('Z', '');
}

export function ProgressBar({ fraction, label }: { fraction: number; label: string }) {
  const percent = Math.max(0, Math.min(100, Math.round(fraction * 1000) / 10));
  return (
    <div
      class="progress"
      role="progressbar"
      aria-label={label}
      aria-valuenow={percent}
      aria-valuemin={0}
      aria-valuemax={100}
    >
      <div class="bar" style={{ width: `${percent}%` }} />
      <span>{percent}%</span>
    </div>
  );
}

/** Rows of objects as a table: a column per field (in first-seen order), nested values as JSON. */
export function RowsTable({ rows, label }: { rows: readonly unknown[]; label: string }) {
  const columns = [...new Set(rows.flatMap((row) => Object.keys((row ?? {}) as object)))];
  const cell = (value: unknown) =>
    value === null || value === undefined ? (
      <span class="muted">null</span>
    ) : typeof value === 'object' ? (
      <code>{JSON.stringify(value)}</code>
    ) : (
      String(value)
    );
  return (
    <div class="scroll">
      <table aria-label={label} class="rows-table">
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {columns.map((c) => (
                <td key={c}>{cell((row as Record<string, unknown>)[c])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
