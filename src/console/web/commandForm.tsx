import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { type Answer, call, enc } from './api';
import { type Avro, type AvroField, formType, initialValue, type NamedTypes, namedTypes } from './avroForm';
import { Json } from './ui';

export interface CommandInfo {
  readonly type: string;
  readonly domain: string;
  readonly public: boolean;
  readonly schema: Avro;
}

/**
 * A command form generated from the command's Avro schema, with the `If-Match` (expected version)
 * and `Idempotency-Key` headers of POST /commands/{type}; shows the API's answer whatever it is.
 */
export function CommandForm({
  commands,
  version,
  onAnswer,
}: {
  commands: readonly CommandInfo[];
  version?: number | undefined;
  onAnswer?: (answer: Answer<unknown>) => void;
}) {
  const [type, setType] = useState(commands[0]?.type ?? '');
  const command = commands.find((c) => c.type === type);
  if (!command) return <p class="muted">No public commands.</p>;
  return (
    <div class="command-form">
      <label>
        Command{' '}
        <select aria-label="command type" value={type} onChange={(e) => setType(e.currentTarget.value)}>
          {commands.map((c) => (
            <option key={c.type} value={c.type}>
              {c.type}
            </option>
          ))}
        </select>
      </label>
      <Form key={command.type} command={command} version={version} onAnswer={onAnswer} />
    </div>
  );
}

function Form({
  command,
  version,
  onAnswer,
}: {
  command: CommandInfo;
  version?: number | undefined;
  onAnswer?: ((answer: Answer<unknown>) => void) | undefined;
}) {
  const named = useMemo(() => namedTypes(command.schema), [command]);
  const [value, setValue] = useState<unknown>(() => initialValue(command.schema, named));
  const [ifMatch, setIfMatch] = useState(version !== undefined ? String(version) : '');
  // The expected version follows the aggregate's until the user types one of their own.
  const typed = useRef(false);
  useEffect(() => {
    if (!typed.current && version !== undefined) setIfMatch(String(version));
  }, [version]);
  const [key, setKey] = useState<string>(() => crypto.randomUUID());
  const [answer, setAnswer] = useState<Answer<unknown> | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [sending, setSending] = useState(false);
  const doc =
    typeof command.schema === 'object' && !Array.isArray(command.schema) ? command.schema.doc : undefined;
  const send = async (event: Event) => {
    event.preventDefault();
    setSending(true);
    setProblem(undefined);
    try {
      const headers: Record<string, string> = {};
      if (ifMatch.trim() !== '') headers['if-match'] = `"${ifMatch.trim()}"`;
      if (key.trim() !== '') headers['idempotency-key'] = key.trim();
      const result = await call('POST', `/commands/${enc(command.type)}`, { body: value, headers });
      setAnswer(result);
      onAnswer?.(result);
    } catch (err) {
      setProblem((err as Error).message);
    } finally {
      setSending(false);
    }
  };
  return (
    <form onSubmit={send} aria-label={`${command.type} form`}>
      {typeof doc === 'string' ? <p class="muted">{doc}</p> : null}
      <Editor schema={command.schema} named={named} value={value} onChange={setValue} path={command.type} />
      <div class="row">
        <label>
          If-Match (expected version){' '}
          <input
            aria-label="If-Match"
            value={ifMatch}
            inputMode="numeric"
            onInput={(e) => {
              typed.current = true;
              setIfMatch(e.currentTarget.value);
            }}
          />
        </label>
        <label>
          Idempotency-Key{' '}
          <input
            aria-label="Idempotency-Key"
            value={key}
            size={38}
            onInput={(e) => setKey(e.currentTarget.value)}
          />
        </label>
        <button type="button" onClick={() => setKey(crypto.randomUUID())}>
          New key
        </button>
      </div>
      <button type="submit" class="primary" disabled={sending}>
        Send {command.type}
      </button>
      {problem ? <div class="problem">{problem}</div> : null}
      {answer ? (
        <div class={`answer status-${answer.status}`} aria-label="command answer">
          <strong>HTTP {answer.status}</strong>
          <Json value={answer.body} />
        </div>
      ) : null}
    </form>
  );
}

/** The editor of a value of an Avro type. */
function Editor({
  schema,
  named,
  value,
  onChange,
  path,
  field,
}: {
  schema: Avro;
  named: NamedTypes;
  value: unknown;
  onChange: (value: unknown) => void;
  path: string;
  field?: AvroField;
}) {
  const type = formType(schema, named);
  const label = path;
  switch (type.kind) {
    case 'string':
    case 'bytes':
      return (
        <input
          aria-label={label}
          value={String(value ?? '')}
          onInput={(e) => onChange(e.currentTarget.value)}
        />
      );
    case 'number':
      return (
        <input
          aria-label={label}
          type="number"
          step={type.integer ? 1 : 'any'}
          value={String(value ?? 0)}
          onInput={(e) => onChange(e.currentTarget.value === '' ? 0 : Number(e.currentTarget.value))}
        />
      );
    case 'boolean':
      return (
        <input
          aria-label={label}
          type="checkbox"
          checked={value === true}
          onChange={(e) => onChange(e.currentTarget.checked)}
        />
      );
    case 'enum':
      return (
        <select aria-label={label} value={String(value)} onChange={(e) => onChange(e.currentTarget.value)}>
          {type.symbols.map((symbol) => (
            <option key={symbol}>{symbol}</option>
          ))}
        </select>
      );
    case 'record': {
      const record = (value ?? {}) as Record<string, unknown>;
      return (
        <fieldset>
          {type.fields.map((f) => (
            <div class="field" key={f.name}>
              <label title={f.doc}>
                <span class="name">{f.name}</span>
                {f.doc ? <span class="doc">{f.doc}</span> : null}
              </label>
              <Editor
                schema={f.type}
                named={named}
                value={record[f.name]}
                onChange={(next) => onChange({ ...record, [f.name]: next })}
                path={`${path}.${f.name}`}
                field={f}
              />
            </div>
          ))}
        </fieldset>
      );
    }
    case 'array': {
      const items = Array.isArray(value) ? value : [];
      return (
        <div class="array">
          {items.map((item, i) => (
            <div class="array-item" key={i}>
              <Editor
                schema={type.items}
                named={named}
                value={item}
                onChange={(next) => onChange(items.map((old, j) => (j === i ? next : old)))}
                path={`${path}[${i}]`}
              />
              <button
                type="button"
                aria-label={`remove ${path}[${i}]`}
                onClick={() => onChange(items.filter((_, j) => j !== i))}
              >
                Remove
              </button>
            </div>
          ))}
          <button
            type="button"
            aria-label={`add to ${path}`}
            onClick={() => onChange([...items, initialValue(type.items, named)])}
          >
            Add {field?.name ?? 'item'}
          </button>
        </div>
      );
    }
    case 'nullable': {
      const present = value !== null && value !== undefined;
      return (
        <div class="nullable">
          <label>
            <input
              type="checkbox"
              aria-label={`${label} set`}
              checked={present}
              onChange={(e) => onChange(e.currentTarget.checked ? initialValue(type.inner, named) : null)}
            />{' '}
            set
          </label>
          {present ? (
            <Editor schema={type.inner} named={named} value={value} onChange={onChange} path={path} />
          ) : null}
        </div>
      );
    }
    case 'map':
    case 'union':
      return <JsonEditor label={label} value={value} onChange={onChange} />;
  }
}

/** Types the form has no editor for (maps, unions of several types) are edited as JSON. */
function JsonEditor({
  label,
  value,
  onChange,
}: {
  label: string;
  value: unknown;
  onChange: (value: unknown) => void;
}) {
  const [text, setText] = useState(JSON.stringify(value));
  const [bad, setBad] = useState(false);
  return (
    <textarea
      aria-label={label}
      class={bad ? 'bad' : ''}
      value={text}
      onInput={(e) => {
        setText(e.currentTarget.value);
        try {
          onChange(JSON.parse(e.currentTarget.value));
          setBad(false);
        } catch {
          setBad(true);
        }
      }}
    />
  );
}
