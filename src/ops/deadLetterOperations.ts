import type { Kafka } from 'kafkajs';
import { fetchTopicOffsets } from '../kafka/topicOffsets.js';
import type { TopologySpec } from '../topology/topologySpec.js';
import {
  type DeadLetter,
  deadLetterTopic,
  listDeadLetters,
  replayDeadLetters,
  replayGroup,
  replayRefusal,
} from './deadLetters.js';
import { readTopic } from './readTopic.js';

/** A processor's dead letters in short: how many, and whether they can be replayed (else why not). */
export interface DeadLetterSummary {
  readonly processor: string;
  readonly count: number;
  readonly replayable: boolean;
  readonly refusal: string | null;
}

/** A dead letter as the console shows it: the value's size instead of its bytes, and whether it was replayed. */
export interface DeadLetterView extends Omit<DeadLetter, 'value'> {
  readonly valueBytes: number | null;
  readonly replayed: boolean;
}

/**
 * The dead letters of every processor of a topology, over one Kafka client: their counts, a
 * processor's letters (replayed or not: below the replay group's committed offset on their
 * partition), and their replay (deadLetters.ts).
 */
export class DeadLetterOperations {
  constructor(
    private readonly kafka: Kafka,
    private readonly topology: TopologySpec,
  ) {}

  /** The processors of the topology, in its order. */
  get processors(): string[] {
    return this.topology.processors.map((p) => p.name);
  }

  /** Why the processor's letters cannot be replayed, or undefined. */
  refusal(processor: string): string | undefined {
    return replayRefusal(this.topology, processor);
  }

  /**
   * Every processor with its count. A topic's offsets include transaction markers, so a topic
   * that holds anything is read to count its letters; an empty one is not.
   */
  async summary(): Promise<DeadLetterSummary[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    let holding: Set<string>;
    try {
      const offsets = await Promise.all(
        this.processors.map(async (p) => [p, await fetchTopicOffsets(admin, deadLetterTopic(p))] as const),
      );
      holding = new Set(
        offsets.filter(([, parts]) => parts.some((o) => BigInt(o.high) > BigInt(o.low))).map(([p]) => p),
      );
    } finally {
      await admin.disconnect();
    }
    return Promise.all(
      this.processors.map(async (processor) => {
        const refusal = this.refusal(processor) ?? null;
        const count = holding.has(processor)
          ? (await readTopic(this.kafka, deadLetterTopic(processor))).length
          : 0;
        return { processor, count, replayable: refusal === null, refusal };
      }),
    );
  }

  /** The processor's letters in partition and offset order, each marked replayed or not. */
  async letters(processor: string): Promise<DeadLetterView[]> {
    const [letters, done] = await Promise.all([
      listDeadLetters(this.kafka, processor),
      this.replayedUpTo(processor),
    ]);
    return letters.map(({ value, ...letter }) => ({
      ...letter,
      valueBytes: value === null ? null : value.length,
      replayed: isReplayed(letter, done),
    }));
  }

  replay(processor: string): Promise<{ replayed: number; skipped: number }> {
    return replayDeadLetters(this.kafka, { topology: this.topology, processor });
  }

  /** The replay group's committed offset per partition of the dead-letter topic. */
  private async replayedUpTo(processor: string): Promise<Map<number, bigint>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const groupId = replayGroup(this.topology.applicationId, processor);
      const done = new Map<number, bigint>();
      for (const { partitions } of await admin.fetchOffsets({
        groupId,
        topics: [deadLetterTopic(processor)],
      })) {
        for (const { partition, offset } of partitions) done.set(partition, BigInt(offset));
      }
      return done;
    } finally {
      await admin.disconnect();
    }
  }
}

/** A letter was replayed when the replay group has committed past it on its partition (-1: nothing). */
export function isReplayed(
  letter: Pick<DeadLetter, 'partition' | 'offset'>,
  done: ReadonlyMap<number, bigint>,
) {
  return BigInt(letter.offset) < (done.get(letter.partition) ?? 0n);
}
