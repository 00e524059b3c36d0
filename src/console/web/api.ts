/**
 * The console's client of the kes HTTP API: JSON over fetch, with the admin's bearer token when
 * the API requires one (kept for the browser tab's session only).
 */

const TOKEN_KEY = 'kes.console.token';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
}

export function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value: string | null): void {
  if (value === null) sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, value);
  authListeners.forEach((listener) => listener());
}

const authListeners = new Set<() => void>();
/** Called when the token changes, or a request was refused for want of one. */
export function onAuthChange(listener: () => void): () => void {
  authListeners.add(listener);
  return () => authListeners.delete(listener);
}

let refused: 'unauthorized' | 'forbidden' | null = null;
/** Whether the API refused the console's token (or its absence): the login form says why. */
export function authProblem(): typeof refused {
  return refused;
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const bearer = token();
  return { accept: 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...extra };
}

export interface Answer<T> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** Any answer of the API, whatever its status (the command form shows a 422 as it is). */
export async function call<T = unknown>(
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Answer<T>> {
  const response = await fetch(path, {
    method,
    headers: headers({
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    }),
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    // Not JSON: kept as text.
  }
  noteAuth(response.status);
  return { status: response.status, body: body as T, headers: response.headers };
}

function noteAuth(status: number): void {
  const before = refused;
  refused =
    status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : before && status < 400 ? null : before;
  if (refused !== before) authListeners.forEach((listener) => listener());
}

/** A GET (or other call) that must succeed: a failure throws an ApiFailure with the API's code. */
export async function api<T>(path: string, method = 'GET', body?: unknown): Promise<T> {
  const answer = await call<T>(method, path, body !== undefined ? { body } : {});
  if (answer.status >= 400) {
    const error = answer.body as { code?: string; message?: string } | null;
    throw new ApiFailure(
      answer.status,
      error?.code ?? `HTTP_${answer.status}`,
      error?.message ?? `${method} ${path} answered ${answer.status}`,
      answer.body,
    );
  }
  return answer.body;
}

export const enc = encodeURIComponent;

/**
 * Reads a server-sent event stream with fetch (EventSource cannot send the Authorization header):
 * calls `onEvent` for each event until `signal` aborts or the server ends the stream.
 */
export async function readEvents(
  path: string,
  signal: AbortSignal,
  onEvent: (event: string, data: string) => void,
): Promise<void> {
  const response = await fetch(path, { headers: headers({ accept: 'text/event-stream' }), signal });
  noteAuth(response.status);
  if (!response.ok || !response.body) {
    const text = await response.text();
    let message = `${path} answered ${response.status}`;
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? message;
    } catch {
      // Not JSON.
    }
    throw new ApiFailure(response.status, `HTTP_${response.status}`, message, text);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    // Events are separated by a blank line; each line is `field: value` (or a `:` comment).
    let end: number;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = text;
        else if (field === 'data') data.push(text);
      }
      if (data.length > 0) onEvent(event, data.join('\n'));
    }
  }
}
