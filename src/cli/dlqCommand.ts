import type { Command } from 'commander';
import { listDeadLetters, replayDeadLetters } from '../ops/deadLetters.js';
import type { KesApplication } from '../app/kesApplication.js';
import { cliKafka, defaultBrokers } from './options.js';
import { type ProgressLine, progressLine } from './progressLine.js';

/** `kes dlq list <processor>` and `kes dlq replay <processor>`: the records a processor could not process. */
export function dlqCommand(program: Command, app: () => KesApplication): void {
  const dlq = program.command('dlq').description("a processor's dead-letter topic");
  const processorNamed = (name: string) => {
    const { topology } = app();
    if (!topology.processors.some((p) => p.name === name)) {
      throw new Error(
        `no processor named ${name} (processors: ${topology.processors.map((p) => p.name).join(', ')})`,
      );
    }
  };
  const kafkaFor = (brokers: string) => cliKafka('kes-dlq', brokers);
  dlq
    .command('list <processor>')
    .description(
      'print every dead letter of the processor as a JSON line: the error, where it came from, its headers',
    )
    .option('--brokers <list>', 'Kafka bootstrap servers (env KAFKA_BROKERS)', defaultBrokers())
    .action(async (processor: string, opts: { brokers: string }) => {
      processorNamed(processor);
      for (const letter of await listDeadLetters(kafkaFor(opts.brokers), processor)) {
        const { value, ...rest } = letter;
        console.log(JSON.stringify({ ...rest, valueBytes: value?.length ?? null }));
      }
    });
  dlq
    .command('replay <processor>')
    .description('send the dead letters not replayed yet back to the topics they were read from')
    .option('--brokers <list>', 'Kafka bootstrap servers (env KAFKA_BROKERS)', defaultBrokers())
    .action(async (processor: string, opts: { brokers: string }) => {
      processorNamed(processor);
      // Progress on stderr, on a terminal only; stdout keeps the one JSON line of the result.
      let progress: ProgressLine | undefined;
      const result = await replayDeadLetters(kafkaFor(opts.brokers), {
        topology: app().topology,
        processor,
        onProgress(sent, total) {
          progress ??= progressLine(`replaying ${processor}`, total);
          progress.update(sent);
        },
      }).finally(() => progress?.done());
      console.log(JSON.stringify({ processor, ...result }));
    });
}
