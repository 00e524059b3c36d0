import type { Command } from 'commander';
import { startBroker } from '../broker/index.js';
import { cliLogger } from './cliLogger.js';
import { collect, integer, untilSignal } from './options.js';

/** `kes broker`: runs the embedded Kafka broker until SIGTERM or SIGINT. */
export function brokerCommand(program: Command): void {
  program
    .command('broker')
    .description('run the embedded Kafka-compatible broker')
    .option('--port <port>', 'TCP port (0 picks a free one)', integer, 9092)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--data <dir>', 'data directory', './data/broker')
    .option('--advertised-host <host>', 'host clients are told to connect to')
    .option('--node-id <id>', 'node id', integer, 1)
    .option('--num-partitions <n>', 'partitions of auto-created topics', integer, 1)
    .option('--no-auto-create-topics', 'do not create unknown topics on metadata and produce requests')
    .option('--initial-rebalance-delay-ms <ms>', 'group.initial.rebalance.delay.ms', integer, 3000)
    .option('--min-session-timeout-ms <ms>', 'group.min.session.timeout.ms', integer, 6000)
    .option('--retention-check-interval-ms <ms>', 'log.retention.check.interval.ms', integer, 300000)
    .option('--transaction-max-timeout-ms <ms>', 'transaction.max.timeout.ms', integer, 900000)
    .option(
      '--cleaner-interval-ms <ms>',
      'how often the log cleaner runs (log.cleaner.backoff.ms)',
      integer,
      15000,
    )
    .option(
      '--config <name=value>',
      'default topic config, repeatable (e.g. retention.ms=3600000)',
      collect,
      [],
    )
    .action(async (opts) => {
      const logger = cliLogger('kes-broker');
      const topicDefaults = Object.fromEntries(
        (opts.config as string[]).map((pair) => {
          const at = pair.indexOf('=');
          if (at <= 0) throw new Error(`--config expects name=value, got ${pair}`);
          return [pair.slice(0, at), pair.slice(at + 1)];
        }),
      );
      const broker = await startBroker({
        port: opts.port,
        host: opts.host,
        dataDir: opts.data,
        advertisedHost: opts.advertisedHost,
        nodeId: opts.nodeId,
        numPartitions: opts.numPartitions,
        autoCreateTopics: opts.autoCreateTopics,
        groupInitialRebalanceDelayMs: opts.initialRebalanceDelayMs,
        groupMinSessionTimeoutMs: opts.minSessionTimeoutMs,
        retentionCheckIntervalMs: opts.retentionCheckIntervalMs,
        cleanerIntervalMs: opts.cleanerIntervalMs,
        transactionMaxTimeoutMs: opts.transactionMaxTimeoutMs,
        topicDefaults,
        logger,
      });
      const signal = await untilSignal();
      logger.info({ signal }, 'shutting down');
      await broker.close();
    });
}
