import type { Logger } from 'pino';
import { CleanerMemory } from './cleanerMemory.js';
import { cleanLog, type CleanLogResult } from './cleanLog.js';
import type { LogManager } from './logManager.js';
import type { PartitionLog } from './partitionLog.js';

/**
 * Log compaction for topics with cleanup.policy=compact (or compact,delete): every round visits
 * each compacted partition and cleans those whose dirty ratio reached min.cleanable.dirty.ratio or
 * whose oldest dirty record passed max.compaction.lag.ms (cleanLog.ts). One round runs at a time
 * and partitions are cleaned one after the other; each pass yields to the event loop as it goes.
 * https://kafka.apache.org/documentation/#compaction
 */

export interface LogCleanerOptions {
  readonly logs: Pick<LogManager, 'list' | 'get'>;
  readonly logger: Logger;
  /** Keys the offset map of one pass holds at most. Default 1,000,000 (about 100 MB). */
  readonly maxOffsetMapEntries?: number;
}

export interface CompactOptions {
  /** Only this topic; default every compacted topic. */
  readonly topic?: string;
  /** The clock for lags and delete.retention.ms. Default Date.now(). */
  readonly now?: number;
  /** Roll the active segments first so that all their data is cleanable. Default true. */
  readonly roll?: boolean;
}

export interface PartitionCleaned extends CleanLogResult {
  readonly topic: string;
  readonly partition: number;
}

interface RoundRequest {
  readonly topic?: string;
  readonly now?: number;
  readonly force: boolean;
  readonly rollFirst?: boolean;
}

export class LogCleaner {
  private readonly memories = new WeakMap<PartitionLog, CleanerMemory>();
  private round: Promise<unknown> = Promise.resolve();
  /** Rounds queued or running. */
  private pending = 0;
  private stopped = false;

  constructor(private readonly options: LogCleanerOptions) {}

  /** Starts a round of the cleans that are due, unless one is still running (the broker's timer). */
  runDue(now = Date.now()): void {
    if (this.pending > 0 || this.stopped) return;
    void this.enqueue({ now, force: false }).catch((err: unknown) =>
      this.options.logger.error({ err }, 'log cleaner round failed'),
    );
  }

  /**
   * Test hook: rolls the active segments of compacted topics (unless `roll: false`) and cleans
   * every compacted partition whatever its dirty ratio; resolves with what was cleaned.
   */
  compact(options: CompactOptions = {}): Promise<PartitionCleaned[]> {
    if (options.topic !== undefined && !this.options.logs.get(options.topic)) {
      return Promise.reject(new Error(`unknown topic ${options.topic}`));
    }
    return this.enqueue({ ...options, force: true, rollFirst: options.roll ?? true });
  }

  /**
   * Stops the cleaner: a pass under way gives up at its next step (leaving the log and the
   * checkpoint as its last swap left them). Resolves once the cleaner is idle.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.round.catch(() => undefined);
  }

  private enqueue(request: RoundRequest): Promise<PartitionCleaned[]> {
    this.pending++;
    const next = this.round
      .catch(() => undefined)
      .then(() => this.runRound(request))
      .finally(() => this.pending--);
    this.round = next;
    return next;
  }

  private async runRound(request: RoundRequest): Promise<PartitionCleaned[]> {
    const { logger } = this.options;
    const cleaned: PartitionCleaned[] = [];
    const topics = this.options.logs
      .list()
      .filter((t) => t.config.compact && (request.topic === undefined || t.name === request.topic));
    for (const topic of topics) {
      for (const log of topic.partitions) {
        if (this.stopped) return cleaned;
        const now = request.now ?? Date.now();
        const started = Date.now();
        try {
          if (request.rollFirst) log.roll();
          const result = await cleanLog(log, topic.config, this.memoryOf(log), {
            now,
            force: request.force,
            maxOffsetMapEntries: this.options.maxOffsetMapEntries ?? 1_000_000,
            running: () => !this.stopped,
          });
          if (!result) continue;
          const where = { topic: topic.name, partition: log.partition };
          const { plan } = result;
          logger.debug(
            {
              ...where,
              reason: plan.reason,
              dirtyRatio: plan.dirtyRatio,
              firstDirtyOffset: plan.firstDirtyOffset.toString(),
              cleanableEnd: plan.cleanableEnd.toString(),
              cleanedEnd: result.cleanedEnd.toString(),
              offsetMapEntries: result.offsetMapEntries,
            },
            'log cleaner pass',
          );
          if (!result.completed) {
            logger.info(
              where,
              'log cleaner pass stopped early: the segments changed or the broker is stopping',
            );
            continue;
          }
          logger.info(
            {
              ...where,
              bytesBefore: result.bytesBefore,
              bytesAfter: result.bytesAfter,
              recordsRemoved: result.recordsRemoved,
              segmentsBefore: result.segmentsBefore,
              segmentsAfter: result.segmentsAfter,
              ms: Date.now() - started,
            },
            'compacted partition',
          );
          cleaned.push({ ...where, ...result });
        } catch (err) {
          logger.error(
            { err, topic: topic.name, partition: log.partition },
            'log cleaner failed on a partition',
          );
        }
      }
    }
    return cleaned;
  }

  private memoryOf(log: PartitionLog): CleanerMemory {
    let memory = this.memories.get(log);
    if (!memory) {
      memory = new CleanerMemory();
      this.memories.set(log, memory);
    }
    return memory;
  }
}
