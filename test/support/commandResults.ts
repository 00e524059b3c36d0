import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import type { CommandResult } from '../../src/commands/commandResult.js';
import type { Serde } from '../../src/serde/serde.js';

/**
 * Follows kes.command-results (read_committed) and lets a test wait for the result of a command
 * id. Every result seen is kept, repeats included, in arrival order.
 */
export class CommandResults {
  readonly all: CommandResult[] = [];
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly consumer: Consumer) {}

  static async follow(kafka: Kafka, serde: Serde): Promise<CommandResults> {
    const consumer = kafka.consumer({ groupId: `results-${randomUUID()}`, maxWaitTimeInMs: 50 });
    const results = new CommandResults(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic: 'kes.command-results', fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        results.all.push((await serde.decode(message.value!)).value as unknown as CommandResult);
        for (const wake of results.waiters) wake();
      },
    });
    return results;
  }

  /** Every result of the command seen so far. */
  of(commandId: string): CommandResult[] {
    return this.all.filter((r) => r.commandId === commandId);
  }

  /** Resolves with the command's `count`-th result. */
  async waitFor(commandId: string, { count = 1, timeoutMs = 30_000 } = {}): Promise<CommandResult> {
    const deadline = Date.now() + timeoutMs;
    while (this.of(commandId).length < count) {
      if (Date.now() > deadline)
        throw new Error(`no result ${count} for command ${commandId} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          resolve();
        };
        this.waiters.add(wake);
        setTimeout(wake, 100);
      });
    }
    return this.of(commandId)[count - 1]!;
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }
}
