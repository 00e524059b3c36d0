import type { Admin, Consumer, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { type TaskAssignment, readTaskAssignment, taskAssigner } from './taskAssigner.js';
import { stoppableConsumer } from '../kafka/stoppableConsumer.js';

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

const DESCRIBE_RETRY_MS = 100;
const DESCRIBE_RETRY_MAX_MS = 1000;

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
  /** This instance's member id as of its latest join. */
  private memberId: string | undefined;

  constructor(private readonly options: ApplicationGroupOptions) {}

  get groupId(): string {
    return this.options.groupId;
  }

  /** The group's admin client (connected while it runs), which its runners share. */
  adminClient(): Admin {
    if (!this.admin) throw new Error('the application group is not started');
    return this.admin;
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

  private scheduleRejoin(delayMs = 200): void {
    clearTimeout(this.rejoinTimer);
    // Runners come and go in bursts (a view's processors): one rejoin for the burst.
    this.rejoinTimer = setTimeout(() => {
      void this.serialize(async () => {
        if (this.stopped) return;
        const old = this.consumer;
        this.consumer = undefined;
        await old?.disconnect().catch(() => undefined);
        await this.startConsumer();
      }).catch((err: unknown) => {
        // Out of the group until a join works: nothing of the old membership is kept.
        this.member = false;
        void this.serialize(() => this.loseAll());
        const delay = this.backoff();
        this.options.logger.warn({ err, inMs: delay }, 'could not join the application group; trying again');
        this.scheduleRejoin(delay);
      });
    }, delayMs);
    this.rejoinTimer.unref();
  }

  private backoff(): number {
    return Math.min(30_000, 1000 * 2 ** Math.min(this.restarts++, 5));
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
    const consumer = stoppableConsumer(this.options.kafka, {
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
      const delay = this.backoff();
      this.options.logger.warn(
        { err: payload.error, inMs: delay },
        'application group consumer stopped; starting it again',
      );
      this.scheduleRejoin(delay);
    });
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      if (this.consumer !== consumer) return;
      this.joins++;
      this.restarts = 0;
      this.memberId = payload.memberId;
      this.options.onRebalance?.();
      void this.serialize(() => this.onJoin(consumer, payload.memberId));
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics });
      // Nothing is ever assigned to this consumer: it only keeps the membership.
      await consumer.run({ autoCommit: false, eachBatch: async () => undefined });
    } catch (err) {
      await consumer.disconnect().catch(() => undefined);
      throw err;
    }
  }

  /** Reads this member's tasks back (DescribeGroups) and hands them to the runners. */
  private async onJoin(consumer: Consumer, memberId: string): Promise<void> {
    const seen = this.joins;
    let assignment: TaskAssignment | undefined;
    // Until it is read, or a newer join (a rebalance again, the group left) makes it moot.
    for (let wait = DESCRIBE_RETRY_MS; !assignment; wait = Math.min(wait * 2, DESCRIBE_RETRY_MAX_MS)) {
      if (this.stopped || this.consumer !== consumer || this.joins !== seen) return;
      assignment = await this.describe(memberId);
      if (!assignment) await new Promise((r) => setTimeout(r, wait));
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

  /** The tasks the group assigns this member now, as DescribeGroups has them (undefined: unknown). */
  private async describe(memberId: string): Promise<TaskAssignment | undefined> {
    try {
      const { groups } = await this.admin!.describeGroups([this.options.groupId]);
      const mine = groups[0]?.members.find((m) => m.memberId === memberId);
      return mine && mine.memberAssignment.length > 0 ? readTaskAssignment(mine.memberAssignment) : undefined;
    } catch (err) {
      this.options.logger.debug({ err }, 'could not describe the application group');
      return undefined;
    }
  }

  /**
   * The partitions of a processor the group assigns this instance now (undefined when that
   * cannot be read: a rebalance under way, the coordinator out of reach).
   */
  async currentTasks(processor: string): Promise<readonly number[] | undefined> {
    if (!this.member || this.memberId === undefined) return undefined;
    const assignment = await this.describe(this.memberId);
    return assignment ? (assignment.tasks[processor] ?? []) : undefined;
  }

  private async loseAll(): Promise<void> {
    await Promise.all([...this.runners.values()].map((r) => r.onLost().catch(() => undefined)));
  }

  /** Closes every runner's tasks, then leaves the group. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.rejoinTimer);
    await this.queue;
    // The tasks first (each finishes its transaction), so that the next owners need not fence them.
    this.member = false;
    await this.loseAll();
    await this.consumer?.disconnect().catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
  }
}
