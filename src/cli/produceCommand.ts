import * as fs from 'node:fs';
import * as readline from 'node:readline';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Command } from 'commander';
import type { KesApplication } from '../app/kesApplication.js';
import { type CommandInput, CommandSender } from '../commands/commandSender.js';
import { Serde } from '../serde/serde.js';
import { cliKafka, defaultBrokers, defaultRegistry, integer, registryAuthFromEnv } from './options.js';
import { type ProgressLine, progressLine, showsProgress } from './progressLine.js';

interface CommandLine {
  type: string;
  data: unknown;
  commandId?: string;
  expectedVersion?: number;
}

/** The commands of a JSON lines file: its lines that are not blank. */
async function countCommands(file: string): Promise<number> {
  let count = 0;
  for await (const text of readline.createInterface({
    input: fs.createReadStream(file),
    crlfDelay: Infinity,
  })) {
    if (text.trim() !== '') count++;
  }
  return count;
}

/**
 * `kes produce <CommandType> '<json>'` or `kes produce --file <commands.jsonl>`: encodes commands
 * with their schemas and produces them to their domain's commands topic. Prints one JSON line per
 * command: its id, aggregate, topic, partition and offset. With --file on a terminal, a progress
 * line on stderr counts the commands sent.
 */
export function produceCommand(program: Command, app: () => KesApplication): void {
  program
    .command('produce [type] [json]')
    .description('produce commands: a type and its JSON fields, or --file with one command per line')
    .option('--file <path>', 'JSON lines: {"type", "data", "commandId"?, "expectedVersion"?}')
    .option('--command-id <id>', 'the command id (default: a new UUID)')
    .option('--expected-version <n>', 'refuse unless the aggregate is at this version', integer)
    .option('--brokers <list>', 'Kafka bootstrap servers (env KAFKA_BROKERS)', defaultBrokers())
    .option('--registry <url>', 'schema registry URL (env SCHEMA_REGISTRY_URL)', defaultRegistry())
    .action(
      async (
        type: string | undefined,
        json: string | undefined,
        opts: {
          file?: string;
          commandId?: string;
          expectedVersion?: number;
          brokers: string;
          registry: string;
        },
      ) => {
        if (!opts.file && (!type || json === undefined)) {
          throw new Error('give a command type and its JSON fields, or --file <commands.jsonl>');
        }
        const kafka = cliKafka('kes-produce', opts.brokers);
        const application = app();
        const serde = Serde.forApplication(
          application,
          new SchemaRegistry({ host: opts.registry, clientId: 'kes-produce', auth: registryAuthFromEnv() }),
        );
        const sender = new CommandSender(serde, application.deciders);
        const producer = kafka.producer({ idempotent: true });
        await producer.connect();
        let progress: ProgressLine | undefined;
        try {
          const send = async (line: CommandLine) => {
            const input: CommandInput = {
              type: line.type,
              data: line.data,
              source: '/cli',
              ...(line.commandId ? { commandId: line.commandId } : {}),
              ...(line.expectedVersion !== undefined ? { expectedVersion: line.expectedVersion } : {}),
            };
            const sent = await sender.send(producer, input);
            const { commandId, aggregateId, partition, offset } = sent;
            const printed = JSON.stringify({
              commandId,
              type: line.type,
              aggregateId,
              topic: sent.record.topic,
              partition,
              offset,
            });
            if (progress) progress.print(printed);
            else console.log(printed);
          };
          if (opts.file) {
            // A regular file is read twice for a total, only where someone watches the count; a pipe
            // (--file /dev/stdin) can be read once, so its progress has no total.
            const counted = showsProgress() && fs.statSync(opts.file).isFile();
            const total = counted ? await countCommands(opts.file) : undefined;
            const lines = readline.createInterface({
              input: fs.createReadStream(opts.file),
              crlfDelay: Infinity,
            });
            let count = 0;
            progress = progressLine('producing', total);
            for await (const text of lines) {
              if (text.trim() === '') continue;
              await send(JSON.parse(text) as CommandLine);
              progress.update(++count);
            }
          } else {
            await send({
              type: type!,
              data: JSON.parse(json!) as unknown,
              ...(opts.commandId ? { commandId: opts.commandId } : {}),
              ...(opts.expectedVersion !== undefined ? { expectedVersion: opts.expectedVersion } : {}),
            });
          }
        } finally {
          progress?.done();
          await producer.disconnect();
        }
      },
    );
}
