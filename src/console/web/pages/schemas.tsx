import { diffLines } from 'diff';
import { useEffect, useState } from 'preact/hooks';
import { api, enc } from '../api';
import { href } from '../router';
import { Loading, Problem, Section, useLoad } from '../ui';

interface Subjects {
  subjects: { subject: string; versions: number[]; compatibility: string }[];
}
interface Version {
  subject: string;
  version: number;
  id: number;
  schema: string;
}
interface Compatibility {
  compatible: boolean;
  level: string;
  messages: string[];
}

export function SchemaList() {
  const subjects = useLoad(() => api<Subjects>('/admin/schemas'), []);
  const [filter, setFilter] = useState('');
  return (
    <div class="page">
      <h1>Schemas</h1>
      <input
        aria-label="filter subjects"
        placeholder="filter"
        value={filter}
        onInput={(e) => setFilter(e.currentTarget.value)}
      />
      <Problem error={subjects.error} />
      <Loading when={subjects.loading && !subjects.data} />
      <table aria-label="subjects">
        <thead>
          <tr>
            <th>Subject</th>
            <th>Versions</th>
            <th>Compatibility</th>
          </tr>
        </thead>
        <tbody>
          {(subjects.data?.subjects ?? [])
            .filter((s) => s.subject.toLowerCase().includes(filter.toLowerCase()))
            .map((s) => (
              <tr key={s.subject}>
                <td>
                  <a href={href('schemas', s.subject)}>{s.subject}</a>
                </td>
                <td>{s.versions.join(', ')}</td>
                <td>{s.compatibility}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </div>
  );
}

const pretty = (text: string) => {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
};

/** A subject: its versions, the diff between two of them, and whether one is compatible with the other. */
export function SchemaPage({ subject }: { subject: string }) {
  const subjects = useLoad(() => api<Subjects>('/admin/schemas'), [subject]);
  const versions = subjects.data?.subjects.find((s) => s.subject === subject)?.versions ?? [];
  const [from, setFrom] = useState<number | undefined>();
  const [to, setTo] = useState<number | undefined>();
  useEffect(() => {
    if (versions.length === 0) return;
    setTo(versions.at(-1));
    setFrom(versions.at(-2) ?? versions.at(-1));
  }, [versions.join(',')]);
  const pair = useLoad(
    async () =>
      from === undefined || to === undefined
        ? undefined
        : Promise.all([
            api<Version>(`/admin/schemas/${enc(subject)}/versions/${from}`),
            api<Version>(`/admin/schemas/${enc(subject)}/versions/${to}`),
            api<Compatibility>(`/admin/schemas/${enc(subject)}/compatibility?version=${to}&against=${from}`),
          ]),
    [subject, from, to],
  );
  const [a, b, compatibility] = pair.data ?? [];
  return (
    <div class="page">
      <h1>
        <a href={href('schemas')}>Schemas</a> / {subject}
      </h1>
      <Problem error={subjects.error ?? pair.error} />
      <Section title="Versions">
        <div class="row">
          <VersionSelect label="from" versions={versions} value={from} onChange={setFrom} />
          <VersionSelect label="to" versions={versions} value={to} onChange={setTo} />
          {compatibility ? (
            <span class={`badge ${compatibility.compatible ? 'ok' : 'bad'}`} aria-label="compatibility">
              v{to} {compatibility.compatible ? 'is' : 'is not'} {compatibility.level} compatible with v{from}
            </span>
          ) : null}
        </div>
        {compatibility && compatibility.messages.length > 0 ? (
          <ul class="problem">
            {compatibility.messages.map((m, i) => (
              <li key={i}>{m}</li>
            ))}
          </ul>
        ) : null}
      </Section>
      {a && b ? (
        <Section title={`Diff v${a.version} (id ${a.id}) → v${b.version} (id ${b.id})`}>
          <pre class="diff" aria-label="schema diff">
            {diffLines(pretty(a.schema), pretty(b.schema)).map((part, i) => (
              <span key={i} class={part.added ? 'added' : part.removed ? 'removed' : ''}>
                {part.value
                  .replace(/\n$/, '')
                  .split('\n')
                  .map((line) => `${part.added ? '+' : part.removed ? '-' : ' '} ${line}\n`)
                  .join('')}
              </span>
            ))}
          </pre>
        </Section>
      ) : null}
    </div>
  );
}

function VersionSelect({
  label,
  versions,
  value,
  onChange,
}: {
  label: string;
  versions: readonly number[];
  value: number | undefined;
  onChange: (version: number) => void;
}) {
  return (
    <label>
      {label}{' '}
      <select
        aria-label={`${label} version`}
        value={String(value ?? '')}
        onChange={(e) => onChange(Number(e.currentTarget.value))}
      >
        {versions.map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </select>
    </label>
  );
}
