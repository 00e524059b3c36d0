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
