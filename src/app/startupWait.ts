import type { Logger } from 'pino';
import type { StartupState } from '../http/apiContext.js';
import { transientCause } from '../processor/transientError.js';

/**
 * The steps of an instance's start-up that need a dependency (Kafka, the schema registry): each is
 * tried until it succeeds, with backoff (250 ms doubling to 5 s), as long as its failure may pass
 * (transientCause); any other failure ends the start-up. What it does and waits for is reported
 * (readiness) and logged: once when the wait starts, then every 30 s.
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
        const result = await attempt();
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
        await this.sleep(Math.min(5000, 250 * 2 ** Math.min(attempts, 5)));
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      this.signal?.addEventListener('abort', done, { once: true });
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
  }
}
