import type { Admin, Consumer, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { type TaskAssignment, readTaskAssignment, taskAssigner } from './taskAssigner.js';

/** A processor's runner, as the application's group sees it. */
export interface GroupRunner {
  readonly name: string;
  readonly inputs: readonly string[];
  /** Partition numbers whose tasks it runs now (kept where the balance allows). */
  ownedPartitions(): readonly number[];
  /** Its tasks after a rebalance: it runs these, and gives up every other. */
  onAssignment(partitions: readonly number[]): Promise<void>;
  /** Out of the group: any of its tasks may be another instance's now. */
  onLost(): Promise<void>;
}

export interface ApplicationGroupOptions {
  readonly kafka: Kafka;
  /** The group's id (Kafka Streams' application.id): every instance of the application joins it. */
  readonly groupId: string;
  /** Advertised with the tasks, for interactive queries. */
  readonly endpoint: string | null;
  readonly sessionTimeoutMs?: number;
  readonly logger: Logger;
  /** Called once per rebalance this instance takes part in (metrics). */
  readonly onRebalance?: () => void;
}

const DESCRIBE_ATTEMPTS = 50;
const DESCRIBE_RETRY_MS = 100;

/**
 * The application's one consumer group (Kafka Streams runs every sub-topology of an application
 * in one group): it decides which instance runs which task, so an instance joining or leaving
 * causes one rebalance, whatever the number of processors. Its consumer fetches nothing (the
 * assigner hands out tasks, not partitions); each processor reads its inputs with a consumer of
 * its own and commits its offsets, in its transactions, to a group named after it that has no
 * members (so `kes lag` and the offsets of earlier versions stay where they were).
 *
 * KafkaJS does not pass an assignment's user data on, so after each join the instance reads its
 * own tasks back with DescribeGroups. Runners added or removed while it runs (a view generation
 * starting or retiring) take effect by leaving the group and joining it again.
 */
export class ApplicationGroup {
  private consumer: Consumer | undefined;
  private admin: Admin | undefined;
  private readonly runners = new Map<string, GroupRunner>();
  private started = false;
  private stopped = false;
  private member = false;
  private joins = 0;
  private restarts = 0;
  private rejoinTimer: NodeJS.Timeout | undefined;
  /** Membership changes and assignments, one after the other. */
  private queue: Promise<void> = Promise.resolve();
  private assignment: TaskAssignment | undefined;

  constructor(private readonly options: ApplicationGroupOptions) {}

  get groupId(): string {
    return this.options.groupId;
  }

  /** In the group, with the tasks of its latest rebalance handed to the runners. */
  get isMember(): boolean {
    return this.member;
  }

  /** Rebalances this instance has taken part in. */
  get rebalances(): number {
    return this.joins;
  }

  /** Task owners as of this instance's latest rebalance (processor → partition → endpoint). */
  get owners(): TaskAssignment['owners'] | undefined {
    return this.assignment?.owners;
  }

  add(runner: GroupRunner): void {
    if (this.runners.has(runner.name)) throw new Error(`processor ${runner.name} runs twice`);
    this.runners.set(runner.name, runner);
    if (this.started) this.scheduleRejoin();
  }

  remove(runner: GroupRunner): void {
    if (this.runners.get(runner.name) !== runner) return;
    this.runners.delete(runner.name);
    if (this.started) this.scheduleRejoin();
  }

  /** Joins the group with the runners added so far. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const admin = this.options.kafka.admin();
    await admin.connect();
    this.admin = admin;
    await this.serialize(() => this.startConsumer());
  }

  private serialize(work: () => Promise<void>): Promise<void> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private scheduleRejoin(): void {
    clearTimeout(this.rejoinTimer);
    // Runners come and go in bursts (a view's processors): one rejoin for the burst.
    this.rejoinTimer = setTimeout(() => {
      void this.serialize(async () => {
        if (this.stopped) return;
        const old = this.consumer;
        this.consumer = undefined;
        await old?.disconnect().catch(() => undefined);
        await this.startConsumer();
      }).catch((err: unknown) => this.options.logger.warn({ err }, 'could not rejoin the application group'));
    }, 200);
    this.rejoinTimer.unref();
  }

  private claims() {
    return new Map(
      [...this.runners.values()].map((r) => [
        r.name,
        { inputs: [...r.inputs], owned: [...r.ownedPartitions()] },
      ]),
    );
  }

  private async startConsumer(): Promise<void> {
    const topics = [...new Set([...this.runners.values()].flatMap((r) => r.inputs))];
    if (this.stopped || topics.length === 0) return;
    const sessionTimeout = this.options.sessionTimeoutMs ?? 10_000;
    const consumer = this.options.kafka.consumer({
      groupId: this.options.groupId,
      partitionAssigners: [taskAssigner({ endpoint: this.options.endpoint, claims: () => this.claims() })],
      sessionTimeout,
      heartbeatInterval: Math.min(3000, Math.floor(sessionTimeout / 4)),
      retry: { retries: 10 },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (this.consumer !== consumer) return;
      this.member = false;
      // Out of the group: until it joins again another instance may own any of its tasks, so
      // none is kept (Kafka Streams' lost tasks).
      void this.serialize(() => this.loseAll());
      if (payload.restart) {
        this.options.logger.warn(
          { err: payload.error },
          'application group consumer failed; KafkaJS restarts it',
        );
        return;
      }
      const delay = Math.min(30_000, 1000 * 2 ** Math.min(this.restarts++, 5));
      this.options.logger.warn(
        { err: payload.error, inMs: delay },
        'application group consumer stopped; starting it again',
      );
      setTimeout(() => void this.restartConsumer(consumer), delay).unref();
    });
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      if (this.consumer !== consumer) return;
      this.joins++;
      this.restarts = 0;
      this.options.onRebalance?.();
      void this.serialize(() => this.onJoin(consumer, payload.memberId));
    });
    await consumer.connect();
    await consumer.subscribe({ topics });
    // Nothing is ever assigned to this consumer: it only keeps the membership.
    await consumer.run({ autoCommit: false, eachBatch: async () => undefined });
  }

  private async restartConsumer(crashed: Consumer): Promise<void> {
    await this.serialize(async () => {
      if (this.stopped || this.consumer !== crashed) return;
      await this.startConsumer();
    }).catch((err: unknown) => {
      const delay = Math.min(30_000, 1000 * 2 ** Math.min(this.restarts++, 5));
      this.options.logger.warn(
        { err, inMs: delay },
        'application group consumer did not start; trying again',
      );
      setTimeout(() => void this.restartConsumer(crashed), delay).unref();
    });
  }

  /** Reads this member's tasks back (DescribeGroups) and hands them to the runners. */
  private async onJoin(consumer: Consumer, memberId: string): Promise<void> {
    const seen = this.joins;
    let assignment: TaskAssignment | undefined;
    for (let attempt = 0; attempt < DESCRIBE_ATTEMPTS && !assignment; attempt++) {
      if (this.stopped || this.consumer !== consumer || this.joins !== seen) return; // a newer join
      try {
        const { groups } = await this.admin!.describeGroups([this.options.groupId]);
        const mine = groups[0]?.members.find((m) => m.memberId === memberId);
        assignment =
          mine && mine.memberAssignment.length > 0 ? readTaskAssignment(mine.memberAssignment) : undefined;
      } catch (err) {
        this.options.logger.debug({ err }, 'could not describe the application group');
      }
      if (!assignment) await new Promise((r) => setTimeout(r, DESCRIBE_RETRY_MS));
    }
    if (!assignment) {
      // Rebalancing again (a newer join follows) or the coordinator is out of reach: rejoin.
      this.options.logger.warn({ memberId }, 'could not read this member’s tasks; rejoining');
      this.scheduleRejoin();
      return;
    }
    this.assignment = assignment;
    this.member = true;
    const counts = Object.fromEntries(Object.entries(assignment.tasks).map(([p, list]) => [p, list.length]));
    this.options.logger.info(
      { memberId, rebalance: seen, tasks: counts },
      'application group assigned tasks',
    );
    await Promise.all(
      [...this.runners.values()].map((r) =>
        r
          .onAssignment(assignment.tasks[r.name] ?? [])
          .catch((err: unknown) =>
            this.options.logger.error({ err, processor: r.name }, 'could not take up the assigned tasks'),
          ),
      ),
    );
  }

  private async loseAll(): Promise<void> {
    await Promise.all([...this.runners.values()].map((r) => r.onLost().catch(() => undefined)));
  }

  /** Leaves the group (the runners stop on their own). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.rejoinTimer);
    await this.queue;
    await this.consumer?.disconnect().catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
  }
}
