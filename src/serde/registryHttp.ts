import { basicAuthorization, type RegistryAuth } from '../config/kafkaConnection.js';

type Fetch = typeof fetch;

/** A schema as the registry gives it: `schema` is its canonical JSON text. */
export interface RegisteredSchema {
  readonly subject: string;
  readonly version: number;
  readonly id: number;
  readonly schema: string;
}

/**
 * A registry call that failed: `status` is the registry's HTTP status, undefined when nothing
 * answered (refused, reset, timed out); `errorCode` the registry's own code (40401: no such
 * subject, 40402: no such version, …).
 */
export class RegistryHttpError extends Error {
  override readonly name = 'RegistryHttpError';

  constructor(
    message: string,
    readonly status: number | undefined,
    readonly errorCode: number | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  /** Whether the registry could not be asked right now (it passes), as isRegistryUnavailable says. */
  get unavailable(): boolean {
    const { status } = this;
    return status === undefined || status >= 500 || status === 408 || status === 429;
  }
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** The registry calls kes makes itself, over the Confluent REST API (fetch, basic auth). */
export class RegistryHttp {
  constructor(
    private readonly url: string,
    private readonly fetchImpl: Fetch = fetch,
    private readonly auth?: RegistryAuth,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {}

  private async call(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }> {
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.url.replace(/\/$/, '')}${path}`, {
        method,
        headers: {
          'content-type': 'application/vnd.schemaregistry.v1+json',
          ...(this.auth ? { authorization: basicAuthorization(this.auth) } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const reason = (err as Error).cause instanceof Error ? ((err as Error).cause as Error) : (err as Error);
      throw new RegistryHttpError(
        `cannot reach the schema registry at ${this.url}: ${reason.message}`,
        undefined,
        undefined,
        { cause: err },
      );
    }
    const json: unknown = await response.json().catch(() => undefined);
    return { status: response.status, json };
  }

  private fail(what: string, status: number, json: unknown): never {
    const answer = json as { message?: string; error_code?: number } | undefined;
    throw new RegistryHttpError(
      `${what}: ${answer?.message ?? `HTTP ${status}`}`,
      status,
      answer?.error_code,
    );
  }

  private subjectPath(subject: string): string {
    return `/subjects/${encodeURIComponent(subject)}`;
  }

  /** Every live subject. */
  async subjects(): Promise<string[]> {
    const { status, json } = await this.call('GET', '/subjects');
    if (status !== 200) this.fail('listing the subjects', status, json);
    return json as string[];
  }

  /** The subject's registered versions; undefined if the subject does not exist. */
  async versions(subject: string): Promise<number[] | undefined> {
    const { status, json } = await this.call('GET', `${this.subjectPath(subject)}/versions`);
    if (status === 404) return undefined;
    if (status !== 200) this.fail(`listing the versions of ${subject}`, status, json);
    return json as number[];
  }

  /** The subject's compatibility level, its own or else the global one. */
  async compatibilityLevel(subject: string): Promise<string> {
    const path = `/config/${encodeURIComponent(subject)}?defaultToGlobal=true`;
    const { status, json } = await this.call('GET', path);
    if (status !== 200) this.fail(`reading the compatibility level of ${subject}`, status, json);
    return (json as { compatibilityLevel: string }).compatibilityLevel;
  }

  /** A version of a subject (a number, or `latest`). */
  async schema(subject: string, version: number | 'latest'): Promise<RegisteredSchema> {
    const { status, json } = await this.call('GET', `${this.subjectPath(subject)}/versions/${version}`);
    if (status !== 200) this.fail(`reading version ${version} of ${subject}`, status, json);
    return json as RegisteredSchema;
  }

  async lookup(subject: string, schema: string): Promise<{ version: number; id: number } | undefined> {
    const { status, json } = await this.call('POST', this.subjectPath(subject), { schema });
    if (status === 404) return undefined;
    if (status !== 200) this.fail(`looking up a schema of ${subject}`, status, json);
    return json as { version: number; id: number };
  }

  /** The messages explaining why `schema` is incompatible with a version; undefined if it is compatible. */
  async incompatibilities(subject: string, version: number, schema: string): Promise<string[] | undefined> {
    const path = `/compatibility/subjects/${encodeURIComponent(subject)}/versions/${version}?verbose=true`;
    const { status, json } = await this.call('POST', path, { schema });
    if (status !== 200) this.fail(`checking ${subject} against version ${version}`, status, json);
    const answer = json as { is_compatible: boolean; messages?: string[] };
    return answer.is_compatible ? undefined : (answer.messages ?? []);
  }
}
