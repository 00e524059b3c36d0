import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Command } from 'commander';
import type { KesApplication } from '../app/kesApplication.js';
import { Serde } from '../serde/serde.js';
import { tailGroupId, tailJson, tailRecord } from '../serde/tailRecord.js';
import { cliKafka, defaultBrokers, defaultRegistry, registryAuthFromEnv } from './options.js';
import { fetchTopicOffsets } from '../kafka/topicOffsets.js';

/**
 * `kes tail <topic>`: prints a topic's records as JSON lines — partition, offset, timestamp, key,
 * headers, and the value decoded with its schema (or as text when it is not Avro in the wire
 * format), as the console's live tail shows them (tailRecord.ts).
 */
export function tailCommand(program: Command, app: () => KesApplication): void {
  program
    .command('tail <topic>')
    .description('print the records of a topic as JSON lines, decoded')
    .option('--brokers <list>', 'Kafka bootstrap servers (env KAFKA_BROKERS)', defaultBrokers())
    .option('--registry <url>', 'schema registry URL (env SCHEMA_REGISTRY_URL)', defaultRegistry())
    .option('--from-beginning', 'start at the beginning of the topic instead of its end')
    .option('--until-end', 'stop once the end of every partition (as it was at start) is reached')
    .option('--read-uncommitted', 'also show records of open and aborted transactions')
    .action(
      async (
        topic: string,
        opts: {
          brokers: string;
          registry: string;
          fromBeginning?: boolean;
          untilEnd?: boolean;
          readUncommitted?: boolean;
        },
      ) => {
        const kafka = cliKafka('kes-tail', opts.brokers);
        const serde = Serde.forApplication(
          app(),
          new SchemaRegistry({ host: opts.registry, clientId: 'kes-tail', auth: registryAuthFromEnv() }),
        );
        const admin = kafka.admin();
        await admin.connect();
        const ends = new Map(
          (await fetchTopicOffsets(admin, topic)).map((p) => [
            p.partition,
            BigInt(opts.readUncommitted ? p.high : p.offset),
          ]),
        );
        await admin.disconnect();
        const remaining = new Set([...ends].filter(([, end]) => end > 0n).map(([p]) => p));
        const consumer = kafka.consumer({
          groupId: tailGroupId(),
          readUncommitted: opts.readUncommitted ?? false,
          maxWaitTimeInMs: 200,
        });
        const done = async () => {
          await consumer.disconnect();
          process.exit(0);
        };
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: opts.fromBeginning ?? false });
        if (opts.untilEnd && (!opts.fromBeginning || remaining.size === 0)) return done();
        // A partition may end with transaction markers, which are never handed over as messages:
        // its end is reached when a processed batch reaches it.
        consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
          if (!opts.untilEnd || BigInt(payload.lastOffset) + 1n < (ends.get(payload.partition) ?? 0n)) return;
          remaining.delete(payload.partition);
          if (remaining.size === 0) void done();
        });
        await consumer.run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            console.log(tailJson(await tailRecord(serde, topic, partition, message)));
          },
        });
      },
    );
}
