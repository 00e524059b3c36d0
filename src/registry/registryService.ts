import type { Logger } from 'pino';
import { errors, RegistryError } from './errors.js';
import type { Plan } from './registryOperations.js';
import { RegistryState } from './registryState.js';
import { type SchemasLog, SchemasLogTimeout } from './schemasLog.js';

export interface RegistryServiceOptions {
  log: SchemasLog;
  logger: Logger;
  /** Refuse every write (42205): for a second instance that only serves reads. */
  readOnly?: boolean;
}

/**
 * The registry's state kept in step with its log. Reads answer from the state at once. Writes run
 * one at a time: a write decides on the current state (registryOperations.ts), appends its
 * records and answers once its own reader has applied them, so the next write decides on a state
 * that includes it. One writing instance per log: ids are decided locally, so two writers could
 * both give the next id to different schemas (the log's first record would win; see
 * RegistryState.apply).
 */
export class RegistryService {
  readonly state = new RegistryState();
  readonly readOnly: boolean;
  private readonly log: SchemasLog;
  private readonly logger: Logger;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: RegistryServiceOptions) {
    this.log = options.log;
    this.logger = options.logger;
    this.readOnly = options.readOnly ?? false;
  }

  /** Replays the log; resolves once the state holds everything written before. */
  async start(): Promise<void> {
    await this.log.start((record) => this.state.apply(record));
  }

  /**
   * Runs a write: `decide` is called on the current state once earlier writes are applied; its
   * records (if any) are appended and `result` returned once they are applied. `operation` names
   * the write in store errors, as Confluent's messages do.
   */
  write<T>(operation: string, subject: string | null, decide: () => Plan<T>): Promise<T> {
    const run = async () => {
      const plan = decide();
      if (plan.records.length === 0) return plan.result;
      if (this.readOnly) throw errors.readOnly(subject);
      try {
        await this.log.append(plan.records);
      } catch (err) {
        if (err instanceof RegistryError) throw err;
        this.logger.error({ err, operation, subject }, 'write to the schemas log failed');
        throw err instanceof SchemasLogTimeout ? errors.timeout(operation) : errors.store(operation);
      }
      this.logger.info({ operation, subject, records: plan.records.length }, operation.toLowerCase());
      return plan.result;
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {
    await this.queue;
    await this.log.close();
  }
}
