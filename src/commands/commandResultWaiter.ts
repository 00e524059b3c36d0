import type { Consumer, Kafka } from 'kafkajs';
import type { Serde } from '../serde/serde.js';
import type { CommandResult } from './commandResult.js';
import { fetchTopicOffsets } from '../kafka/topicOffsets.js';
import { stoppableConsumer } from '../kafka/stoppableConsumer.js';

interface Waiter {
  resolve(result: CommandResult): void;
}

/**
 * Delivers the results of the commands this instance sends: one consumer of kes.command-results
 * (read_committed, every partition, a group of its own) that starts at the end of the topic and
 * hands each result to whoever waits for its command id. Register before sending (`expect`), so a
 * result cannot arrive unnoticed.
 */
export class CommandResultWaiter {
  private readonly waiters = new Map<string, Set<Waiter>>();

  private constructor(private readonly consumer: Consumer) {}

  static async start(options: {
    kafka: Kafka;
    serde: Serde;
    groupId: string;
    /** The application's results topic (runtimeTopics). */
    topic: string;
  }): Promise<CommandResultWaiter> {
    const { topic } = options;
    const consumer = stoppableConsumer(options.kafka, {
      groupId: options.groupId,
      maxWaitTimeInMs: 20,
      readUncommitted: false,
    });
    const waiter = new CommandResultWaiter(consumer);
    const joined = new Promise<Record<string, number[]>>((resolve) =>
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => resolve(payload.memberAssignment)),
    );
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: false });
    await consumer.run({
      autoCommit: true,
      eachMessage: async ({ message }) => {
        // The key is the command id: results of commands nobody here waits for are not decoded.
        if (message.value === null || (message.key && !waiter.waiters.has(message.key.toString()))) return;
        const result = (await options.serde.decode(message.value)).value as unknown as CommandResult;
        const waiting = waiter.waiters.get(result.commandId);
        if (!waiting) return;
        waiter.waiters.delete(result.commandId);
        for (const w of waiting) w.resolve(result);
      },
    });
    // Only results of commands sent from now on matter: start at the end of every partition.
    const assignment = await joined;
    const admin = options.kafka.admin();
    await admin.connect();
    try {
      const ends = await fetchTopicOffsets(admin, topic);
      for (const p of assignment[topic] ?? []) {
        const end = ends.find((e) => e.partition === p);
        if (end) consumer.seek({ topic, partition: p, offset: end.high });
      }
    } finally {
      await admin.disconnect();
    }
    return waiter;
  }

  /**
   * A promise of the command's result, or of undefined once `timeoutMs` has passed. Call it
   * before sending the command.
   */
  expect(commandId: string, timeoutMs: number): Promise<CommandResult | undefined> {
    return new Promise((resolve) => {
      const entry: Waiter = {
        resolve: (result) => {
          clearTimeout(timer);
          resolve(result);
        },
      };
      const timer = setTimeout(() => {
        const set = this.waiters.get(commandId);
        set?.delete(entry);
        if (set?.size === 0) this.waiters.delete(commandId);
        resolve(undefined);
      }, timeoutMs);
      let set = this.waiters.get(commandId);
      if (!set) this.waiters.set(commandId, (set = new Set()));
      set.add(entry);
    });
  }

  /** Commands waited for right now. */
  get pending(): number {
    return this.waiters.size;
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }
}
