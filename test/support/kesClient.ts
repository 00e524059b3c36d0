import { setTimeout as sleep } from 'node:timers/promises';
import { SeededRandom } from '../../src/testing/seededRandom.js';

export interface Reply<T> {
  readonly status: number;
  /** Parsed when the answer is JSON, else the text. */
  readonly body: T;
}
/** What a command's 200 carries (and what a read-your-writes check needs). */
export interface Accepted {
  readonly version: number;
  readonly position: string | null;
}
export interface Command {
  readonly type: string;
  readonly data: Record<string, unknown>;
  /** The Idempotency-Key, sent again unchanged on every retry. */
  readonly key: string;
}
export interface Request {
  /** The instance asked, by the order it was added in (default 0). */
  readonly at?: number;
  /** Default: GET without a body, POST with one. */
  readonly method?: string;
  /** Sent as JSON, or as it is when it is a string. */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}
/** `patient` asks again after a 503, a 504 or a lost connection (a rebalance, a killed instance). */
export interface Read {
  readonly at?: number;
  readonly patient?: boolean;
}

/**
 * kes's HTTP API on one or more instances, used as clients use it: commands sent again with the
 * same Idempotency-Key until they have a final answer, reads patient through 503s and lost
 * instances, listings followed page by page. Instances are numbered in the order they are added;
 * one marked down is no longer routed to.
 */
export class KesClient {
  /** How many times a command or a read was asked again. */
  readonly retried = { commands: 0, reads: 0 };
  private readonly urls: string[];
  private readonly down = new Set<number>();

  constructor(
    urls: readonly string[] = [],
    /** Picks the instance a command (or a read moved off a lost one) goes to. */
    private readonly routing: Pick<SeededRandom, 'pick'> = new SeededRandom(1),
  ) {
    this.urls = [...urls];
  }

  /** Adds an instance; returns its number. */
  add(url: string): number {
    return this.urls.push(url) - 1;
  }

  /** Marks an instance as gone (killed): nothing is routed to it any more. */
  markDown(at: number): void {
    this.down.add(at);
  }

  /** The instances not marked down, but `except`. */
  live(except?: number): number[] {
    return this.urls.map((_, i) => i).filter((i) => !this.down.has(i) && i !== except);
  }

  /** A live instance, at random, but `except`. */
  anyLive(except?: number): number {
    return this.routing.pick(this.live(except));
  }

  /** One request, once. */
  async call<T = Record<string, unknown>>(
    path: string,
    { at = 0, body, headers = {}, method = body === undefined ? 'GET' : 'POST' }: Request = {},
  ): Promise<Reply<T>> {
    const response = await fetch(this.urls[at] + path, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    const json = response.headers.get('content-type')?.startsWith('application/json');
    return { status: response.status, body: (json ? JSON.parse(text) : text) as T };
  }

  /**
   * Sends a command until it has a final answer (200, 409, 422): again, with the same
   * Idempotency-Key, to a live instance after a 202, a 503 or a lost connection — as clients do.
   */
  async send(command: Command): Promise<{ at: number; reply: Reply<Accepted> }> {
    const deadline = Date.now() + 90_000;
    for (let at = this.anyLive(); ; at = this.anyLive()) {
      const reply = await this.call<Accepted>(`/commands/${command.type}`, {
        at,
        body: command.data,
        headers: { 'idempotency-key': command.key },
      }).catch((err: Error) => err);
      const problem =
        reply instanceof Error ? reply.message : `${reply.status} ${JSON.stringify(reply.body)}`;
      if (!(reply instanceof Error)) {
        if ([200, 409, 422].includes(reply.status)) return { at, reply };
        if (reply.status !== 202 && reply.status !== 503) throw new Error(`${command.key}: ${problem}`);
      }
      if (Date.now() > deadline) throw new Error(`${command.key}: no final answer in 90 s (${problem})`);
      this.retried.commands++;
      await sleep(250);
    }
  }

  /** GET; a patient one moves to another live instance when its own is marked down. */
  async get<T = Record<string, unknown>>(
    path: string,
    { at = 0, patient = false }: Read = {},
  ): Promise<Reply<T>> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const reply = await this.call<T>(path, { at }).catch((err: Error) => err);
      if (!patient && reply instanceof Error) throw new Error(`GET ${path} from ${at}: ${reply.message}`);
      if (!(reply instanceof Error) && (!patient || ![503, 504].includes(reply.status))) return reply;
      if (Date.now() > deadline) throw new Error(`GET ${path} from ${at}: unavailable for 60 s`);
      this.retried.reads++;
      await sleep(250);
      if (this.down.has(at)) at = this.anyLive();
    }
  }

  /** Every page of a listing (a view, or an index value), following `next`; throws on any answer but 200. */
  async pages<T>(path: string, read: Read = {}): Promise<T[][]> {
    const pages: T[][] = [];
    let cursor: string | null = null;
    do {
      const page = cursor === null ? path : `${path}${path.includes('?') ? '&' : '?'}cursor=${cursor}`;
      const reply: Reply<{ items: T[]; next: string | null }> = await this.get(page, read);
      if (reply.status !== 200)
        throw new Error(`GET ${page} from ${read.at ?? 0}: ${reply.status} ${JSON.stringify(reply.body)}`);
      pages.push(reply.body.items);
      cursor = reply.body.next;
    } while (cursor !== null);
    return pages;
  }

  /** Every row of a listing, page by page. */
  async all<T>(path: string, read: Read = {}): Promise<T[]> {
    return (await this.pages<T>(path, read)).flat();
  }
}
