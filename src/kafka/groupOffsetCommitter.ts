import type { Kafka } from 'kafkajs';

/** The parts of KafkaJS's internal cluster and broker clients this uses (KafkaJS 2.2.4). */
interface KafkaJsBroker {
  offsetCommit(request: {
    groupId: string;
    groupGenerationId: number;
    memberId: string;
    retentionTime?: number;
    topics: { topic: string; partitions: { partition: number; offset: string }[] }[];
  }): Promise<unknown>;
}
interface KafkaJsCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  findGroupCoordinator(request: { groupId: string }): Promise<KafkaJsBroker>;
}

/**
 * Commits offsets to a consumer group from outside it: OffsetCommit with generation -1 and no
 * member id (Kafka's "simple" commit, accepted for a group without members), which KafkaJS's
 * public API cannot send — its consumers commit only to their own group. The at-least-once tasks
 * use it to commit to their processor's group (whose members are none: the application's group
 * assigns the tasks). Such a commit is not fenced: a stale one can move offsets back, which means
 * records read again, within what at-least-once allows. Exactly-once tasks never use it: they
 * commit in their transactions, which a newer owner fences.
 *
 * It borrows KafkaJS's cluster client, which KafkaJS keeps behind a private symbol.
 */
export class GroupOffsetCommitter {
  private cluster: KafkaJsCluster | undefined;
  private connecting: Promise<KafkaJsCluster> | undefined;

  constructor(private readonly kafka: Kafka) {}

  async commit(groupId: string, topic: string, partition: number, offset: string): Promise<void> {
    const cluster = await this.connected();
    const coordinator = await cluster.findGroupCoordinator({ groupId });
    await coordinator.offsetCommit({
      groupId,
      groupGenerationId: -1,
      memberId: '',
      retentionTime: -1,
      topics: [{ topic, partitions: [{ partition, offset }] }],
    });
  }

  private connected(): Promise<KafkaJsCluster> {
    this.connecting ??= (async () => {
      const key = Object.getOwnPropertySymbols(this.kafka).find(
        (s) => s.description === 'private:Kafka:createCluster',
      );
      const create = key && (this.kafka as unknown as Record<symbol, unknown>)[key];
      if (typeof create !== 'function') {
        throw new Error('this KafkaJS has no cluster client kes can borrow (kes needs KafkaJS 2.2.4)');
      }
      const cluster = (create as (options: object) => KafkaJsCluster)({});
      await cluster.connect();
      this.cluster = cluster;
      return cluster;
    })().catch((err: unknown) => {
      this.connecting = undefined;
      throw err;
    });
    return this.connecting;
  }

  async close(): Promise<void> {
    await this.cluster?.disconnect().catch(() => undefined);
  }
}
