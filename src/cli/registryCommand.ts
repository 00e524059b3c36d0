import type { Command } from 'commander';
import { startRegistry } from '../registry/index.js';
import { cliLogger } from './cliLogger.js';
import { brokerList, defaultBrokers, integer, kafkaConnectionFromEnv, untilSignal } from './options.js';

/** `kes registry`: runs the embedded schema registry until SIGTERM or SIGINT. */
export function registryCommand(program: Command): void {
  program
    .command('registry')
    .description('run the embedded Confluent-compatible schema registry, stored in a Kafka topic')
    .option('--port <port>', 'HTTP port (0 picks a free one)', integer, 8081)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option(
      '--brokers <host:port,...>',
      'Kafka bootstrap servers (default: KAFKA_BROKERS, else 127.0.0.1:9092)',
      brokerList,
    )
    .option('--topic <name>', 'topic holding the registry state', '_schemas')
    .option('--read-only', 'refuse writes; serve what the writing registry stored')
    .option('--write-timeout-ms <ms>', 'how long a write may take to be read back', integer, 10_000)
    .action(async (opts) => {
      const logger = cliLogger('kes-registry');
      const registry = await startRegistry({
        port: opts.port,
        host: opts.host,
        brokers: (opts.brokers as string[] | undefined) ?? brokerList(defaultBrokers()),
        kafka: kafkaConnectionFromEnv(),
        topic: opts.topic,
        readOnly: opts.readOnly === true,
        writeTimeoutMs: opts.writeTimeoutMs,
        logger,
      });
      const signal = await untilSignal();
      logger.info({ signal }, 'shutting down');
      await registry.close();
    });
}
