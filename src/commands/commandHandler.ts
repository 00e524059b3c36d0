import { randomUUID } from 'node:crypto';
import type { Decider } from '../domain/decider.js';
import type { Forwarded, KesRecord } from '../processor/kesRecord.js';
import type { Processor, ProcessorContext, StoreAccess } from '../processor/processor.js';
import type { Serde } from '../serde/serde.js';
import type { RecordValue } from '../serde/upcasters.js';
import {
  type AggregateSnapshot,
  decodeCount,
  decodeJson,
  dueExpiries,
  encodeCount,
  encodeJson,
  expiredResult,
  expiryKey,
  IDEMPOTENCY_RETENTION_MS,
  isExpiryKey,
  RESULT_COUNT_KEY,
  resultKey,
} from './aggregateSnapshot.js';
import { CloudEventHeaders, cloudEventHeaders } from './cloudEvents.js';
import {
  COMMAND_RESULT_TYPE,
  type CommandResult,
  type CommandStatus,
  type ResultCode,
} from './commandResult.js';
import {
  checkCommandRecord,
  InvalidAggregateIdError,
  InvalidCommandRecordError,
} from './invalidCommandRecord.js';

/**
 * The command handler of one domain: for every command on `<domain>.commands` it loads the
 * aggregate from the task's store, answers a command id it has seen with that command's first
 * result, checks the expected version, asks the decider, and in one transaction appends the
 * events (CloudEvents headers, one version each) to `<domain>.events`, writes the new snapshot to
 * the store (and so to `<domain>.aggregates`), and the result to kes.command-results. A command
 * record without a key, with a key or command id that breaks the id rules, or that cannot be
 * decoded, or whose decider throws, goes to the dead-letter topic with a FAILED result; the
 * partition keeps moving. Once a second (a punctuator), each task forgets the results whose
 * idempotency window is over, whether or not commands arrive.
 */
export interface CommandHandlerOptions<C extends { type: string }, E extends { type: string }, S> {
  readonly name: string;
  /** Where results go: the application's `<name>.command-results` (runtimeTopics). */
  readonly resultsTopic: string;
  readonly decider: Decider<C, E, S>;
  readonly serde: Serde;
  /** Default `<domain>-aggregates`. */
  readonly store?: string;
  readonly now?: () => number;
  /** How long a command's result is remembered (default IDEMPOTENCY_RETENTION_MS). */
  readonly idempotencyRetentionMs?: number;
  /**
   * How many results a task (one partition of the domain) remembers at most: beyond it the oldest
   * are forgotten first, even before their time. Default: no limit but the time.
   */
  readonly idempotencyMaxResults?: number;
}

/**
 * How often a task deletes expired command results (its punctuator), and how many at most each
 * time: a punctuation that deleted a full batch runs again at once, so the sweep keeps up with
 * any rate while each transaction stays small.
 */
const SWEEP_INTERVAL_MS = 1000;
const SWEEP_LIMIT = 1000;

export function commandHandler<C extends { type: string }, E extends { type: string }, S>(
  options: CommandHandlerOptions<C, E, S>,
): Processor {
  const { decider, serde, name } = options;
  const domain = decider.domain;
  const storeName = options.store ?? `${domain}-aggregates`;
  const eventsTopic = `${domain}.events`;
  const now = options.now ?? Date.now;
  const fullName = (type: string) => `kes.${domain}.${type}`;
  const retention = options.idempotencyRetentionMs ?? IDEMPOTENCY_RETENTION_MS;
  const maxResults = options.idempotencyMaxResults ?? Infinity;

  /** How many results the task remembers. */
  const rememberedCount = async (store: StoreAccess): Promise<number> => {
    const stored = await store.get(RESULT_COUNT_KEY);
    if (stored !== undefined) return decodeCount(stored);
    // A store from before the count was kept (or a new one): counted, and kept from then on.
    let count = 0;
    for await (const [key] of store.range({ gte: dueExpiries(0).gte })) {
      if (!isExpiryKey(key)) break;
      count++;
    }
    if (count > 0) store.put(RESULT_COUNT_KEY, encodeCount(count));
    return count;
  };

  /**
   * Deletes the results that expired by `at`, and the oldest beyond `maxResults`, at most
   * SWEEP_LIMIT of them. Returns how many it deleted.
   */
  const sweep = async (store: StoreAccess, at: number): Promise<number> => {
    let count = await rememberedCount(store);
    const { gte, lt: due } = dueExpiries(at);
    let deleted = 0;
    // Expiry keys sort by time: the due ones first, then the oldest of the others.
    for await (const [key] of store.range({ gte, limit: SWEEP_LIMIT })) {
      if (!isExpiryKey(key) || (key >= due && count <= maxResults)) break;
      store.delete(key);
      store.delete(expiredResult(key));
      deleted++;
      count = Math.max(0, count - 1);
    }
    if (deleted > 0) store.put(RESULT_COUNT_KEY, encodeCount(count));
    return deleted;
  };

  /** The result record, built once the events are written (so it can name their position). */
  const emitResult = (
    context: Pick<ProcessorContext, 'forwardAfter'>,
    build: (aggregates: StoreAccess) => CommandResult | Promise<CommandResult>,
  ) =>
    context.forwardAfter(async (stores) => {
      const result = await build(stores.store(storeName));
      return {
        topic: options.resultsTopic,
        key: result.commandId,
        value: await serde.encode(
          options.resultsTopic,
          COMMAND_RESULT_TYPE,
          result as unknown as RecordValue,
        ),
        // No headers: the value says everything (command id, type, aggregate), and every header
        // costs an allocation per record in the client's encoder.
      };
    });

  return {
    name,
    // Results expire on a timer, whether or not commands arrive.
    punctuators: [
      {
        name: 'idempotency-sweep',
        intervalMs: SWEEP_INTERVAL_MS,
        async punctuate(context) {
          const at = options.now ? options.now() : context.now;
          const deleted = await sweep(context.store(storeName), at);
          return deleted === SWEEP_LIMIT ? 'more' : undefined;
        },
      },
    ],
    // The aggregates a chunk addresses, and its commands' remembered results, are loaded in one read.
    prefetch: (records) =>
      new Map([
        [
          storeName,
          records.flatMap((r) => {
            const id = r.headers[CloudEventHeaders.id];
            if (r.key === null) return [];
            return [r.key, ...(id === undefined ? [] : [resultKey(r.key, id)])];
          }),
        ],
      ]),
    async process(record: KesRecord, context: ProcessorContext) {
      // Refused before anything is read: no key, or a key or command id that breaks the id rules.
      const aggregateId = checkCommandRecord(record);
      const meta = commandMeta(record);
      if (record.value === null) throw new UndecodableCommandError('a command record without a value');
      let decoded: Awaited<ReturnType<Serde['decode']>>;
      try {
        decoded = await serde.decode(record.value);
      } catch (err) {
        throw new UndecodableCommandError((err as Error).message, { cause: err });
      }
      const type = decoded.type.slice(decoded.type.lastIndexOf('.') + 1);
      if (decoded.type !== fullName(type) || !decider.commandTypes.includes(type as C['type'])) {
        throw new Error(`${decoded.type} is not a command of ${domain}`);
      }
      const command = { type, data: decoded.value } as unknown as C;
      if (decider.aggregateIdOf(command) !== aggregateId) {
        throw new InvalidAggregateIdError(
          `${decoded.type}: the record's key is not the command's aggregate id`,
        );
      }
      const store = context.store(storeName);
      const stored = await store.get(aggregateId);
      const snapshot: AggregateSnapshot<S> = stored
        ? decodeJson<AggregateSnapshot<S>>(stored)
        : { version: 0, state: decider.initialState() };
      // A repeat is the same command id to the same aggregate with the same type: an id reused for
      // another command (a client's Idempotency-Key equal to a saga's id) is not one.
      const remembered = await store.get(resultKey(aggregateId, meta.commandId));
      const repeat = remembered && decodeJson<CommandResult>(remembered);
      if (repeat && repeat.commandType === decoded.type) {
        // Answered as the first time, read when the results are built: a first time earlier in
        // this transaction learns its events' position only then.
        emitResult(context, async (aggregates) => {
          const latest = await aggregates.get(resultKey(aggregateId, meta.commandId));
          return latest ? decodeJson<CommandResult>(latest) : repeat;
        });
        return;
      }
      const processedAt = now();
      const resultsBefore = await rememberedCount(store);
      const base = { commandId: meta.commandId, commandType: decoded.type, aggregateId, processedAt };
      /**
       * Writes the new snapshot and remembers the result now, so that a repeat later in the same
       * transaction is recognised; only for aggregates that exist (refused commands to unknown ids
       * leave nothing).
       */
      const conclude = (result: CommandResult, after: AggregateSnapshot<S>) => {
        if (after.version === 0) return result;
        if (after.version !== snapshot.version) store.put(aggregateId, encodeJson(after));
        store.put(resultKey(aggregateId, result.commandId), encodeJson(result));
        store.put(expiryKey(processedAt + retention, aggregateId, result.commandId), Buffer.alloc(0));
        store.put(RESULT_COUNT_KEY, encodeCount(resultsBefore + 1));
        return result;
      };
      const refuse = (status: CommandStatus, code: string, message: string) => {
        const result = conclude(
          {
            ...base,
            status,
            version: snapshot.version,
            eventCount: 0,
            events: [],
            position: null,
            rejection: { code, message },
          },
          snapshot,
        );
        emitResult(context, () => result);
      };

      if (meta.expectedVersion !== undefined && meta.expectedVersion !== snapshot.version) {
        refuse(
          'CONFLICT',
          'VERSION_CONFLICT' satisfies ResultCode,
          `expected version ${meta.expectedVersion}, but ${aggregateId} is at version ${snapshot.version}`,
        );
        return;
      }
      const decision = decider.decide(command, snapshot.state, { now: processedAt });
      if (decision.kind === 'rejected') {
        refuse('REJECTED', decision.code, decision.message);
        return;
      }
      let { state, version } = snapshot;
      const appended: { type: string; id: string; sequence: number }[] = [];
      let last: Forwarded | undefined;
      for (const event of decision.events) {
        state = decider.evolve(state, event);
        version++;
        const id = randomUUID();
        const type = fullName(event.type);
        appended.push({ type, id, sequence: version });
        last = context.forward({
          topic: eventsTopic,
          key: aggregateId,
          value: await serde.encode(eventsTopic, type, (event as unknown as { data: RecordValue }).data),
          headers: cloudEventHeaders({
            id,
            type,
            source: `/${domain}`,
            subject: aggregateId,
            time: processedAt,
            sequence: version,
            correlationId: meta.correlationId,
            causationId: meta.commandId,
          }),
        });
      }
      const accepted = conclude(
        {
          ...base,
          status: 'ACCEPTED',
          version,
          eventCount: appended.length,
          events: appended,
          position: null,
          rejection: null,
        },
        { version, state },
      );
      emitResult(context, (aggregates) => {
        const position = last?.position;
        if (!position) return accepted;
        const result = {
          ...accepted,
          position: { topic: position.topic, partition: position.partition, offset: Number(position.offset) },
        };
        // Now the events' position is known: remember the result with it.
        aggregates.put(resultKey(aggregateId, result.commandId), encodeJson(result));
        return result;
      });
    },

    onError(record, error, context) {
      const meta = commandMeta(record);
      emitResult(context, () => ({
        commandId: meta.commandId,
        commandType: record.headers[CloudEventHeaders.type] ?? 'unknown',
        aggregateId: record.key ?? '',
        status: 'FAILED',
        version: null,
        eventCount: 0,
        events: [],
        position: null,
        rejection: {
          code: resultCodeOf(error),
          message: error.message,
        },
        processedAt: now(),
      }));
    },
  };
}

/** The code of a FAILED result: why the command could not be processed. */
function resultCodeOf(error: Error): ResultCode {
  if (error instanceof InvalidCommandRecordError) return error.resultCode;
  if (error instanceof UndecodableCommandError) return 'UNDECODABLE_COMMAND';
  return 'HANDLER_EXCEPTION';
}

/** A command's id, correlation id and expected version, from its CloudEvents headers. */
export function commandMeta(record: KesRecord): {
  commandId: string;
  correlationId: string;
  expectedVersion?: number;
} {
  const H = CloudEventHeaders;
  // Without an id, the record's position is one that a redelivery repeats.
  const commandId = record.headers[H.id] ?? `${record.topic}/${record.partition}/${record.offset}`;
  const expected = record.headers[H.expectedVersion];
  const expectedVersion = expected !== undefined && /^\d+$/.test(expected) ? Number(expected) : undefined;
  return {
    commandId,
    correlationId: record.headers[H.correlationId] ?? commandId,
    ...(expectedVersion !== undefined ? { expectedVersion } : {}),
  };
}

/** A command record whose value is not a command this handler can read. */
export class UndecodableCommandError extends Error {
  override readonly name = 'UndecodableCommandError';
}
