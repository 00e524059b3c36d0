import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, type Dispatcher, request } from 'undici';
import type { ProcessorRunner } from '../processor/processorRunner.js';
import type { KeyValueStore, RangeOptions } from '../state/keyValueStore.js';
import { QueryError } from './queryError.js';
import { type ViewProgress, readProgress } from '../views/viewProgress.js';
import type { OwnerDirectory } from './ownerDirectory.js';

/** One partition of a store: the processor whose task owns it, the store, the partition number. */
export interface StoreTarget {
  readonly processor: string;
  readonly store: string;
  readonly partition: number;
}

/** A wait for a task to have applied a source offset. */
export interface ProgressWait {
  /** `<topic>:<partition>` */
  readonly source: string;
  readonly offset: number;
}

/** A header marking a request forwarded by another instance (never forwarded again). */
export const FORWARDED_HEADER = 'kes-forwarded';

type RemoteResponse = Dispatcher.ResponseData;

const isResponse = (value: unknown): value is RemoteResponse =>
  typeof value === 'object' && value !== null && 'statusCode' in value && 'body' in value;

const RETRY_MS = 50;
const POLL_MS = 5;

/**
 * Reads stores by partition wherever they live: the store of a task running here is read
 * directly; a partition owned by another instance is read from it over HTTP (the internal
 * routes), found through the owner directory. While a partition has no reachable owner (a
 * rebalance, a restore) it retries until the deadline, then answers UNAVAILABLE. Values are
 * returned as the JSON text they are stored as.
 */
export class PartitionStores {
  /** Kept-alive connections to the other instances (undici: far less per request than fetch). */
  private readonly agent = new Agent({ keepAliveTimeout: 30_000, connections: 64 });

  constructor(
    private readonly options: {
      readonly runners: () => readonly ProcessorRunner[];
      /** Prefix of the consumer groups (a processor not running here is found through its group). */
      readonly applicationId: string;
      readonly directory: OwnerDirectory;
      /** This instance's advertised endpoint. */
      readonly self: () => string | null;
      /** The `Authorization` header for the other instances' internal routes, when they require one. */
      readonly authorization?: () => string;
    },
  ) {}

  /** The JSON text stored under `key`, or undefined. */
  async get(target: StoreTarget, key: string, deadline: number): Promise<string | undefined> {
    return this.route(
      target,
      deadline,
      async (store) => (await store.get(key))?.toString('utf8'),
      async (base) => {
        const response = await this.fetch(`${base}/get?key=${encodeURIComponent(key)}`, deadline);
        if (response.statusCode === 404) {
          await response.body.dump();
          return undefined;
        }
        return response.statusCode === 200 ? await response.body.text() : response;
      },
    );
  }

  /** Entries within the bounds, in key order: [key, JSON text]. */
  async range(target: StoreTarget, options: RangeOptions, deadline: number): Promise<[string, string][]> {
    return this.route(
      target,
      deadline,
      (store) => readRange(store, options),
      async (base) => {
        const response = await this.fetch(
          `${base}/range?bounds=${encodeURIComponent(JSON.stringify(options))}`,
          deadline,
        );
        return response.statusCode === 200 ? ((await response.body.json()) as [string, string][]) : response;
      },
    );
  }

  /** The task's progress, once it has applied `wait` (if given), or POSITION_TIMEOUT at the deadline. */
  async progress(
    target: StoreTarget,
    wait: ProgressWait | undefined,
    deadline: number,
  ): Promise<ViewProgress> {
    return this.route(
      target,
      deadline,
      (store) => waitForProgress(store, wait, deadline),
      async (base) => {
        const query = wait ? `?source=${encodeURIComponent(wait.source)}&offset=${wait.offset}` : '';
        const response = await this.fetch(`${base}/progress${query}`, deadline);
        if (response.statusCode === 504) {
          const body = (await response.body.json()) as { message: string };
          throw new QueryError('POSITION_TIMEOUT', body.message);
        }
        return response.statusCode === 200 ? ((await response.body.json()) as ViewProgress) : response;
      },
    );
  }

  /** The store of a task running here, or undefined. */
  local(target: StoreTarget): KeyValueStore | undefined {
    return this.runner(target.processor)?.queryableStore(target.partition, target.store);
  }

  private runner(processor: string): ProcessorRunner | undefined {
    return this.options.runners().find((r) => r.name === processor);
  }

  private async route<T>(
    target: StoreTarget,
    deadline: number,
    local: (store: KeyValueStore) => Promise<T>,
    remote: (base: string) => Promise<T | RemoteResponse>,
  ): Promise<T> {
    const runner = this.runner(target.processor);
    let fresh = false;
    let lastProblem = 'no owner known';
    for (;;) {
      const store = this.local(target);
      if (store) {
        try {
          return await local(store);
        } catch (err) {
          // The task was closed while it was read (its partition moved, or it is starting again
          // after a failed transaction): look for the partition again, as during a rebalance.
          if (err instanceof QueryError || this.local(target) === store) throw err;
          lastProblem = `the task of partition ${target.partition} was closed while it was read`;
        }
      } else if (!runner?.assignedPartitions.includes(target.partition)) {
        const owner = await this.options.directory.ownerOf(target.processor, target.partition, { fresh });
        if (owner && owner !== this.options.self()) {
          const base = `${owner}/internal/stores/${target.processor}/${target.store}/${target.partition}`;
          try {
            const answer = await remote(base);
            if (!isResponse(answer)) return answer;
            lastProblem = `${owner} answered ${answer.statusCode}`;
            await answer.body.dump();
          } catch (err) {
            if (err instanceof QueryError) throw err;
            lastProblem = `${owner}: ${(err as Error).message}`;
          }
        }
      } else {
        lastProblem = 'restoring here';
      }
      if (Date.now() + RETRY_MS > deadline) {
        throw new QueryError(
          'UNAVAILABLE',
          `partition ${target.partition} of ${target.processor} is not available (${lastProblem})`,
        );
      }
      fresh = true;
      await sleep(RETRY_MS);
    }
  }

  private fetch(url: string, deadline: number): Promise<RemoteResponse> {
    return request(url, {
      dispatcher: this.agent,
      headers: {
        [FORWARDED_HEADER]: '1',
        ...(this.options.authorization ? { authorization: this.options.authorization() } : {}),
      },
      signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())),
    });
  }

  /** Closes the connections to the other instances. */
  close(): Promise<void> {
    return this.agent.close();
  }
}

export async function readRange(store: KeyValueStore, options: RangeOptions): Promise<[string, string][]> {
  const entries: [string, string][] = [];
  for await (const [key, value] of store.range(options)) entries.push([key, value.toString('utf8')]);
  return entries;
}

/** Polls the task's committed progress until it has applied the wait's offset. */
export async function waitForProgress(
  store: KeyValueStore,
  wait: ProgressWait | undefined,
  deadline: number,
): Promise<ViewProgress> {
  for (;;) {
    const progress = await readProgress(store);
    if (!wait || (progress.applied[wait.source] ?? -1) >= wait.offset) return progress;
    if (Date.now() >= deadline) {
      throw new QueryError(
        'POSITION_TIMEOUT',
        `${store.name} has not applied ${wait.source}:${wait.offset} yet (at ${progress.applied[wait.source] ?? 'nothing'})`,
      );
    }
    await sleep(POLL_MS);
  }
}
