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
  onError?(
    record: KesRecord,
    error: Error,
    context: Pick<ProcessorContext, 'partition' | 'forward' | 'forwardAfter'>,
  ): void;
}
