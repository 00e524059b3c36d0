import type { RangeOptions } from '../state/keyValueStore.js';
import type { Forwarded, KesRecord, OutputRecord } from './kesRecord.js';

/** A task's view of one of its stores during processing: its own writes first, then the store. */
export interface StoreAccess {
  get(key: string): Promise<Buffer | undefined>;
  getMany(keys: readonly string[]): Promise<(Buffer | undefined)[]>;
  put(key: string, value: Buffer): void;
  delete(key: string): void;
  range(options?: RangeOptions): AsyncIterable<[string, Buffer]>;
}

/** What a processor can do while it processes one record (Kafka Streams' ProcessorContext). */
export interface ProcessorContext {
  /** The partition number this task owns. */
  readonly partition: number;
  store(name: string): StoreAccess;
  /** Emits a record; it is written in the same transaction as the input's offset. */
  forward(record: OutputRecord): Forwarded;
  /**
   * Emits records built once the forwarded ones are written (still in the same transaction), so
   * that they can cite where those landed — e.g. a command result naming its last event's offset.
   * The builder may also write to the stores; those writes join the same transaction.
   */
  forwardAfter(build: AfterBuilder): void;
}

/** Builds records (and store writes) after the forwarded records of the transaction are written. */
export type AfterBuilder = (stores: {
  store(name: string): StoreAccess;
}) => OutputRecord | readonly OutputRecord[] | Promise<OutputRecord | readonly OutputRecord[]>;

/**
 * What a punctuation can do (Kafka Streams' ProcessorContext inside a Punctuator): the task's
 * stores and outputs, as a chunk of records has them. Its writes and records are kept only if
 * `punctuate` returns, and are committed in a transaction of their own.
 */
export interface PunctuationContext {
  /** The partition number this task owns. */
  readonly partition: number;
  /** The wall-clock time (Date.now()) the punctuation started at. */
  readonly now: number;
  store(name: string): StoreAccess;
  forward(record: OutputRecord): Forwarded;
}

/**
 * Work a task does on a timer rather than for a record (Kafka Streams' `ProcessorContext.schedule`
 * with `PunctuationType.WALL_CLOCK_TIME`): e.g. forgetting what has expired although no record
 * arrives. Wall-clock time only: kes keeps no stream time (the largest timestamp seen) per task.
 * The task runs it between its chunks, never during one, about every `intervalMs` while it is
 * Running (first `intervalMs` after it starts; a revived or moved task starts its schedule again).
 */
export interface Punctuator {
  /** Names it in logs and errors. */
  readonly name: string;
  readonly intervalMs: number;
  /**
   * Returns 'more' when it did a bounded part of what is due and should run again soon (at the
   * runner's next tick) rather than after `intervalMs`. A TransientError (or another failure that
   * may pass) is retried after a backoff; any other error is a bug: the task starts again.
   */
  punctuate(context: PunctuationContext): Promise<'more' | void>;
}

/**
 * A stream processor: called for every input record of the partitions its tasks own. Its store
 * writes and forwarded records for one input are kept only if `process` returns; if it throws,
 * they are dropped, the input goes to the processor's dead-letter topic, and `onError` may emit
 * records of its own (e.g. an error result) — then processing moves on.
 */
export interface Processor {
  readonly name: string;
  /**
   * The store keys the records of a chunk will read, by store name: they are loaded in one batch
   * before the chunk is processed (one LevelDB round trip instead of one per record).
   */
  prefetch?(records: readonly KesRecord[]): ReadonlyMap<string, readonly string[]>;
  process(record: KesRecord, context: ProcessorContext): Promise<void>;
  /** Run on a timer by every task of the processor, between chunks (Punctuator). */
  readonly punctuators?: readonly Punctuator[];
  onError?(
    record: KesRecord,
    error: Error,
    context: Pick<ProcessorContext, 'partition' | 'forward' | 'forwardAfter'>,
  ): void;
}
