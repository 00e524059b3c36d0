import { useState } from 'preact/hooks';
import { api, enc } from '../api';
import { href } from '../router';
import { Json, Loading, Problem, Section, useLoad } from '../ui';

interface Summary {
  processors: { processor: string; count: number; replayable: boolean; refusal: string | null }[];
}
interface Letter {
  partition: number;
  offset: string;
  key: string | null;
  error: string;
  errorType: string;
  source: { topic: string; partition: number; offset: string };
  headers: Record<string, string>;
  valueBytes: number | null;
  replayed: boolean;
}

export function DeadLetterList() {
  const summary = useLoad(() => api<Summary>('/admin/dead-letters'), [], 5000);
  return (
    <div class="page">
      <h1>Dead letters</h1>
      <p class="muted">
        Records a processor could not process (poison), per processor. Transient failures are waited out,
        never dead-lettered.
      </p>
      <Problem error={summary.error} />
      <Loading when={summary.loading && !summary.data} />
      <table aria-label="dead letters per processor">
        <thead>
          <tr>
            <th>Processor</th>
            <th class="num">Dead letters</th>
            <th>Replay</th>
          </tr>
        </thead>
        <tbody>
          {(summary.data?.processors ?? []).map((p) => (
            <tr key={p.processor} class={p.count > 0 ? 'behind' : ''}>
              <td>
                <a href={href('dead-letters', p.processor)}>{p.processor}</a>
              </td>
              <td class="num">{p.count}</td>
              <td class="muted">{p.replayable ? 'to the topic it was read from' : p.refusal}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function DeadLetterPage({ processor }: { processor: string }) {
  const letters = useLoad(
    () => api<{ processor: string; letters: Letter[] }>(`/admin/dead-letters/${enc(processor)}`),
    [processor],
    3000,
  );
  const [replay, setReplay] = useState<unknown>();
  const [error, setError] = useState<unknown>();
  const [replaying, setReplaying] = useState(false);
  const pending = (letters.data?.letters ?? []).filter((l) => !l.replayed).length;
  return (
    <div class="page">
      <h1>
        <a href={href('dead-letters')}>Dead letters</a> / {processor}
      </h1>
      <Section
        title={`${letters.data?.letters.length ?? 0} dead letters, ${pending} not replayed`}
        actions={
          <button
            type="button"
            class="primary"
            disabled={pending === 0 || replaying}
            onClick={async () => {
              setError(undefined);
              setReplaying(true);
              try {
                setReplay(await api(`/admin/dead-letters/${enc(processor)}/replay`, 'POST'));
                letters.reload();
              } catch (err) {
                setError(err);
              } finally {
                setReplaying(false);
              }
            }}
          >
            Replay {pending}
          </button>
        }
      >
        <Problem error={error ?? letters.error} />
        {replay ? (
          <div role="status" aria-label="replay result">
            <Json value={replay} />
          </div>
        ) : null}
        <table aria-label="dead letters">
          <thead>
            <tr>
              <th>Where</th>
              <th>From</th>
              <th>Key</th>
              <th>Error</th>
              <th>Replayed</th>
            </tr>
          </thead>
          <tbody>
            {(letters.data?.letters ?? []).map((letter) => (
              <tr key={`${letter.partition}:${letter.offset}`}>
                <td>
                  {letter.partition}:{letter.offset}
                </td>
                <td>
                  {letter.source.topic}[{letter.source.partition}]@{letter.source.offset}
                </td>
                <td>{letter.key ?? <span class="muted">null</span>}</td>
                <td>
                  <strong>{letter.errorType}</strong> {letter.error}
                  <details>
                    <summary>
                      headers ({Object.keys(letter.headers).length}) · {letter.valueBytes ?? 0} bytes
                    </summary>
                    <Json value={letter.headers} />
                  </details>
                </td>
                <td aria-label="replayed">{letter.replayed ? 'yes' : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
    </div>
  );
}
