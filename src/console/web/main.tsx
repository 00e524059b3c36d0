import './console.css';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { authProblem, onAuthChange, setToken, token } from './api';
import { AggregatePage, AggregateSearch, TracePage } from './pages/aggregates';
import { DeadLetterList, DeadLetterPage } from './pages/deadLetters';
import { Live } from './pages/live';
import { Overview } from './pages/overview';
import { SchemaList, SchemaPage } from './pages/schemas';
import { ViewList, ViewPage } from './pages/views';
import { href, useRoute } from './router';

const SECTIONS = [
  ['', 'Overview'],
  ['aggregates', 'Aggregates'],
  ['views', 'Views'],
  ['dead-letters', 'Dead letters'],
  ['schemas', 'Schemas'],
  ['live', 'Live'],
] as const;

function Page({ route }: { route: string[] }) {
  const [section, a, b] = route;
  switch (section) {
    case undefined:
      return <Overview />;
    case 'aggregates':
      return a !== undefined && b !== undefined ? (
        <AggregatePage domain={a} id={b} />
      ) : (
        <AggregateSearch domain={a} />
      );
    case 'trace':
      return a !== undefined ? <TracePage id={a} /> : <AggregateSearch />;
    case 'views':
      return a !== undefined ? <ViewPage name={a} /> : <ViewList />;
    case 'dead-letters':
      return a !== undefined ? <DeadLetterPage processor={a} /> : <DeadLetterList />;
    case 'schemas':
      return a !== undefined ? <SchemaPage subject={a} /> : <SchemaList />;
    case 'live':
      return <Live topic={a} />;
    default:
      return <p class="problem">No page {route.join('/')}.</p>;
  }
}

/** Where the API requires a token, the console asks for an admin's (and says when one is refused). */
function Login({ problem }: { problem: 'unauthorized' | 'forbidden' }) {
  const [value, setValue] = useState('');
  return (
    <form
      class="card login"
      aria-label="sign in"
      onSubmit={(e) => {
        e.preventDefault();
        setToken(value.trim());
        location.reload();
      }}
    >
      <h2>Sign in</h2>
      <p>
        {problem === 'forbidden'
          ? 'This token is not an admin’s: the console is for admins only.'
          : token()
            ? 'The token was refused (expired or not valid). Paste another.'
            : 'This kes API requires a bearer token. Paste an admin’s JWT (role: admin).'}
      </p>
      <textarea aria-label="token" rows={4} value={value} onInput={(e) => setValue(e.currentTarget.value)} />
      <button type="submit" class="primary">
        Sign in
      </button>
    </form>
  );
}

function App() {
  const route = useRoute();
  const [problem, setProblem] = useState(authProblem());
  useEffect(() => onAuthChange(() => setProblem(authProblem())), []);
  return (
    <>
      <nav class="top">
        <a class="brand" href={href()}>
          kes console
        </a>
        {SECTIONS.map(([path, label]) => (
          <a
            key={path}
            href={path ? href(path) : href()}
            class={
              (route[0] ?? '') === path || (path === 'aggregates' && route[0] === 'trace') ? 'active' : ''
            }
          >
            {label}
          </a>
        ))}
        <span class="spacer" />
        {token() ? (
          <button
            type="button"
            class="link"
            onClick={() => {
              setToken(null);
              location.reload();
            }}
          >
            Sign out
          </button>
        ) : null}
      </nav>
      <main>{problem ? <Login problem={problem} /> : <Page route={route} />}</main>
    </>
  );
}

render(<App />, document.getElementById('console')!);
