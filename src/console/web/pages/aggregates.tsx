import { useEffect, useState } from 'preact/hooks';
import { type Answer, api, enc } from '../api';
import { type CommandInfo, CommandForm } from '../commandForm';
import { go, href } from '../router';
import { Json, Loading, Problem, Section, time, useLoad } from '../ui';

export interface HistoryEvent {
  id: string;
  type: string;
  sequence: number;
  time: string;
  correlationId: string | null;
  causationId: string | null;
  position: string;
  schemaVersion: number;
  data: unknown;
}
interface History {
  domain: string;
  aggregateId: string;
  version: number;
  events: HistoryEvent[];
}
interface Sagas {
  sagas: { name: string; key: string; description: string }[];
}

export const loadCommands = () => api<{ commands: CommandInfo[] }>('/admin/commands').then((r) => r.commands);

/** Pick a domain, type an id (or its start: the ids starting with it are listed as you type). */
export function AggregateSearch({ domain: initial }: { domain?: string | undefined }) {
  const commands = useLoad(loadCommands, []);
  const domains = [...new Set((commands.data ?? []).map((c) => c.domain))].sort();
  const [domain, setDomain] = useState(initial ?? '');
  const [id, setId] = useState('');
  const [prefix, setPrefix] = useState('');
  const chosen = domain || domains[0] || '';
  useEffect(() => {
    const timer = setTimeout(() => setPrefix(id.trim()), 250);
    return () => clearTimeout(timer);
  }, [id]);
  const found = useLoad(
    () =>
      chosen
        ? api<{ ids: string[] }>(`/admin/aggregates/${enc(chosen)}?limit=20&prefix=${enc(prefix)}`)
        : Promise.resolve({ ids: [] }),
    [chosen, prefix],
    5000,
  );
  return (
    <div class="page">
      <h1>Aggregates</h1>
      <Section title="Find an aggregate">
        <Problem error={commands.error ?? found.error} />
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            if (id.trim() !== '') go('aggregates', chosen, id.trim());
          }}
        >
          <select aria-label="domain" value={chosen} onChange={(e) => setDomain(e.currentTarget.value)}>
            {domains.map((d) => (
              <option key={d}>{d}</option>
            ))}
          </select>
          <input
            aria-label="aggregate id"
            placeholder="aggregate id, or its start"
            value={id}
            onInput={(e) => setId(e.currentTarget.value)}
          />
          <button type="submit" class="primary">
            Open
          </button>
        </form>
        <ul class="ids" aria-label="matching aggregates">
          {(found.data?.ids ?? []).map((match) => (
            <li key={match}>
              <a href={href('aggregates', chosen, match)}>{match}</a>
            </li>
          ))}
        </ul>
        {found.data && found.data.ids.length === 0 ? (
          <p class="muted">
            No {chosen} aggregate{prefix ? ` starts with ${prefix}` : ' yet'}.
          </p>
        ) : null}
      </Section>
    </div>
  );
}

/** An aggregate: its event timeline, its state at any version, what sagas did for it, and a command form. */
export function AggregatePage({ domain, id }: { domain: string; id: string }) {
  const [reloads, setReloads] = useState(0);
  const [fresh, setFresh] = useState(0);
  // Read again every 3 s: a saga's and a policy's events arrive after the command's.
  const history = useLoad(
    () => api<History>(`/aggregates/${enc(domain)}/${enc(id)}/events`),
    [domain, id, reloads],
    3000,
  );
  const commands = useLoad(loadCommands, []);
  const version = history.data?.version ?? 0;
  const [at, setAt] = useState<number | undefined>();
  useEffect(() => setAt(undefined), [domain, id]);
  const shown = at ?? version;
  const state = useLoad(
    () =>
      shown > 0
        ? api<unknown>(`/aggregates/${enc(domain)}/${enc(id)}?at=${shown}`)
        : Promise.resolve(undefined),
    [domain, id, shown, version],
  );
  const afterCommand = (answer: Answer<unknown>) => {
    if (answer.status !== 200) return;
    const position = (answer.body as { position?: string }).position;
    setFresh(version);
    setAt(undefined);
    // The events are read after the command's position, so they include what it appended.
    void api<History>(
      `/aggregates/${enc(domain)}/${enc(id)}/events${position ? `?after=${enc(position)}` : ''}`,
    ).then(
      () => setReloads((n) => n + 1),
      () => setReloads((n) => n + 1),
    );
  };
  const correlation = history.data?.events[0]?.correlationId;
  return (
    <div class="page">
      <h1>
        <a href={href('aggregates', domain)}>{domain}</a> / <span aria-label="aggregate">{id}</span>{' '}
        <span class="muted">version {version}</span>
      </h1>
      <div class="grid2">
        <Section
          title="Events"
          actions={correlation ? <a href={href('trace', correlation)}>the whole flow ›</a> : null}
        >
          <Problem error={history.error} />
          <Loading when={history.loading && !history.data} />
          <ol class="timeline" aria-label="events">
            {(history.data?.events ?? []).map((event) => (
              <li
                key={event.id}
                class={`${event.sequence > fresh && fresh > 0 ? 'new' : ''} ${event.sequence === shown ? 'current' : ''}`}
              >
                <EventCard event={event} onTravel={() => setAt(event.sequence)} />
              </li>
            ))}
          </ol>
        </Section>
        <div>
          <Section title="State">
            {version > 0 ? (
              <label class="row">
                at version{' '}
                <input
                  type="range"
                  aria-label="version"
                  min={1}
                  max={version}
                  value={shown}
                  onInput={(e) => setAt(Number(e.currentTarget.value))}
                />{' '}
                <strong aria-label="shown version">{shown}</strong> of {version}
              </label>
            ) : (
              <p class="muted">No events yet.</p>
            )}
            <Problem error={state.error} />
            {state.data !== undefined ? <Json value={state.data} label="state" /> : null}
          </Section>
          <SagaPanel id={id} />
          <Section title="Send a command">
            <Problem error={commands.error} />
            {commands.data ? (
              <CommandForm
                key={`${domain}/${id}`}
                commands={commands.data.filter((c) => c.domain === domain && c.public)}
                version={version}
                onAnswer={afterCommand}
              />
            ) : null}
          </Section>
        </div>
      </div>
    </div>
  );
}

export function EventCard({
  event,
  onTravel,
  aggregate,
}: {
  event: HistoryEvent;
  onTravel?: () => void;
  aggregate?: { domain: string; aggregateId: string };
}) {
  return (
    <article class="event" aria-label={`event ${event.sequence} ${event.type}`}>
      <header>
        <span class="seq">#{event.sequence}</span> <strong class="type">{event.type}</strong>{' '}
        {aggregate ? (
          <a href={href('aggregates', aggregate.domain, aggregate.aggregateId)}>
            {aggregate.domain}/{aggregate.aggregateId}
          </a>
        ) : null}{' '}
        <span class="muted">{time(event.time)}</span>
        {onTravel ? (
          <button type="button" class="link" onClick={onTravel}>
            state here
          </button>
        ) : null}
      </header>
      <dl class="meta">
        <dt>id</dt>
        <dd>{event.id}</dd>
        <dt>correlation</dt>
        <dd>
          {event.correlationId ? <a href={href('trace', event.correlationId)}>{event.correlationId}</a> : '–'}
        </dd>
        <dt>causation</dt>
        <dd>
          {event.causationId ? <a href={href('trace', event.causationId)}>{event.causationId}</a> : '–'}
        </dd>
        <dt>position</dt>
        <dd>{event.position}</dd>
        <dt>schema</dt>
        <dd>v{event.schemaVersion}</dd>
      </dl>
      <Json value={event.data} />
    </article>
  );
}

/** What each saga keyed by this id did: its state, as the saga keeps it. */
function SagaPanel({ id }: { id: string }) {
  const sagas = useLoad(() => api<Sagas>('/admin/sagas'), []);
  const states = useLoad(
    async () =>
      Promise.all(
        (sagas.data?.sagas ?? []).map(async (saga) => {
          try {
            return {
              saga,
              state: (await api<{ state: unknown }>(`/admin/sagas/${enc(saga.name)}/${enc(id)}`)).state,
            };
          } catch {
            return undefined;
          }
        }),
      ).then((found) => found.filter((f) => f !== undefined)),
    [sagas.data, id],
    3000,
  );
  if (!states.data || states.data.length === 0) return null;
  return (
    <>
      {states.data.map(({ saga, state }) => (
        <Section key={saga.name} title={`Saga ${saga.name}`}>
          <p class="muted">{saga.description}</p>
          <Json value={state} label={`saga ${saga.name}`} />
        </Section>
      ))}
    </>
  );
}

interface Trace {
  id: string;
  events: (HistoryEvent & {
    domain: string;
    aggregateId: string;
    match: 'correlation' | 'causation';
  })[];
}

const MATCH_LABEL = {
  causation: 'appended by this command',
  correlation: 'same flow',
} as const;

/**
 * Every event naming an id, in time order: for a command id, the events it appended; for a
 * correlation id (the first command's), the whole flow across aggregates (what sagas and policies did).
 */
export function TracePage({ id }: { id: string }) {
  const trace = useLoad(() => api<Trace>(`/admin/trace/${enc(id)}`), [id], 3000);
  const events = trace.data?.events ?? [];
  const aggregates = new Set(events.map((e) => `${e.domain}/${e.aggregateId}`));
  return (
    <div class="page">
      <h1>
        Trace <span class="muted">{id}</span>
      </h1>
      <Problem error={trace.error} />
      {trace.data && events.length === 0 ? (
        <p class="muted">No event has this correlation id or causation id.</p>
      ) : null}
      {events.length > 0 ? (
        <Section title={`${events.length} events, ${aggregates.size} aggregates`}>
          <ol class="timeline" aria-label="trace events">
            {events.map((event) => (
              <li key={event.id}>
                <span class={`badge match-${event.match}`}>{MATCH_LABEL[event.match]}</span>
                <EventCard event={event} aggregate={event} />
              </li>
            ))}
          </ol>
        </Section>
      ) : null}
    </div>
  );
}
