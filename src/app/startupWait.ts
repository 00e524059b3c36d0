import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { backoffMs } from '../errors/backoff.js';
import type { StartupState } from '../http/apiContext.js';
import { transientCause } from '../processor/transientError.js';

/**
 * The steps of an instance's start-up that need a dependency (Kafka, the schema registry): each is
 * tried until it succeeds, with backoff (250 ms doubling to 5 s), as long as its failure may pass
 * (transientCause); any other failure ends the start-up. What it does and waits for is reported
 * (readiness) and logged: once when the wait starts, then every 30 s. An abort ends the wait at
 * once, even in the middle of an attempt (KafkaJS may retry a connection for minutes).
 */
export class StartupWait {
  constructor(
    private readonly logger: Logger,
    private readonly signal: AbortSignal | undefined,
    private readonly report: (state: StartupState) => void,
  ) {}

  /** Reports a step that waits for nothing. */
  step(step: string): void {
    this.report({ step });
  }

  async until<T>(dependency: string, step: string, attempt: () => Promise<T>): Promise<T> {
    const since = Date.now();
    let loggedAt = 0;
    this.report({ step, waitingFor: dependency, since });
    for (let attempts = 0; ; attempts++) {
      this.signal?.throwIfAborted();
      try {
        const result = await this.abortable(attempt());
        if (loggedAt > 0) this.logger.info({ waitedMs: Date.now() - since }, `${dependency} is reachable`);
        return result;
      } catch (err) {
        this.signal?.throwIfAborted();
        if (transientCause(err) === undefined) throw err;
        const error = err instanceof Error ? err.message : String(err);
        this.report({ step, waitingFor: dependency, since, error });
        if (Date.now() - loggedAt >= 30_000) {
          loggedAt = Date.now();
          this.logger.warn({ err, step, waitedMs: loggedAt - since }, `waiting for ${dependency}`);
        }
        await sleep(backoffMs(attempts, 250, 5000), undefined, { signal: this.signal }).catch(
          () => undefined,
        );
      }
    }
  }

  /** The attempt's outcome, or the abort's, whichever comes first (the attempt is released by the caller). */
  private abortable<T>(work: Promise<T>): Promise<T> {
    const signal = this.signal;
    if (!signal) return work;
    work.catch(() => undefined);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }
}
