/** A record as a processor sees it: one input record from one partition. */
export interface KesRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly key: string | null;
  readonly value: Buffer | null;
  /** Headers as strings (kes writes CloudEvents headers, which are text). Repeated keys: the last wins. */
  readonly headers: Readonly<Record<string, string>>;
  readonly timestamp: number;
}

/** A record a processor emits. Without a partition, the key's murmur2 hash picks it (as Kafka's default partitioner). */
export interface OutputRecord {
  readonly topic: string;
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly headers?: Readonly<Record<string, string>>;
  readonly partition?: number;
}

/** Where a record was written: its topic, partition and offset. */
export interface RecordPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
}

/** A forwarded record; its position is known once the transaction has written it. */
export interface Forwarded {
  readonly record: OutputRecord;
  /** Set after the first stage of the transaction is written; read it in a `forwardAfter` builder. */
  readonly position: RecordPosition | undefined;
}
