import type { Command } from 'commander';
import type { KesApplication } from '../app/kesApplication.js';
import { startTracingFromEnv } from '../tracing/tracing.js';
import { startApp } from '../app/startApp.js';
import { cliLogger } from './cliLogger.js';
import { runApp } from './runApp.js';
import {
  brokerList,
  defaultBrokers,
  defaultRegistry,
  httpFromEnv,
  integer,
  idempotencyWindow,
  envInteger,
  kafkaConnectionFromEnv,
  registryAuthFromEnv,
} from './options.js';

/**
 * `kes app`: one instance of the kes application — every processor of the topology, its stores
 * under `--data`, and the HTTP API. Start several (each with its own data directory and port) to
 * share the partitions; any of them answers any key.
 */
export function appCommand(program: Command, app: () => KesApplication): void {
  program
    .command('app')
    .description(
      'run the processors of the topology (command handlers, saga, policies, views) and the HTTP API',
    )
    .option('--brokers <list>', 'Kafka bootstrap servers (env KAFKA_BROKERS)', defaultBrokers())
    .option('--registry <url>', 'schema registry URL (env SCHEMA_REGISTRY_URL)', defaultRegistry())
    .option(
      '--data <dir>',
      'local state of this instance (env KES_DATA_DIR)',
      process.env.KES_DATA_DIR ?? './data/app',
    )
    .option(
      '--instance-id <id>',
      'names this instance (env KES_INSTANCE_ID); default: host and pid',
      process.env.KES_INSTANCE_ID,
    )
    .option('--http-port <port>', 'HTTP API port, 0 for any (env KES_HTTP_PORT, default 3000)', integer)
    .option('--http-host <host>', 'HTTP API address (env KES_HTTP_HOST, default 127.0.0.1)')
    .option('--advertised-url <url>', 'the URL other instances reach this one at (env KES_ADVERTISED_URL)')
    .option('--no-http', 'run the processors only, without the HTTP API')
    .option('--processors <list>', 'run only these processors (comma-separated; default: all)')
    .option('--at-least-once', 'process at least once instead of exactly once')
    .option(
      '--idempotency-retention-ms <ms>',
      'how long a command result is remembered (env KES_IDEMPOTENCY_RETENTION_MS, default 24 h)',
      integer,
    )
    .option(
      '--idempotency-max-results <n>',
      'results remembered per command partition at most (env KES_IDEMPOTENCY_MAX_RESULTS, default no limit)',
      integer,
    )
    .option(
      '--task-timeout-ms <ms>',
      'how long a task waits in a row for a registry or broker out of reach before the instance exits (env KES_TASK_TIMEOUT_MS, default 300000)',
      integer,
    )
    .action(
      async (opts: {
        brokers: string;
        registry: string;
        data: string;
        instanceId?: string;
        atLeastOnce?: boolean;
        idempotencyRetentionMs?: number;
        idempotencyMaxResults?: number;
        taskTimeoutMs?: number;
        http: boolean;
        processors?: string;
        httpPort?: number;
        httpHost?: string;
        advertisedUrl?: string;
      }) => {
        const application = app();
        const logger = cliLogger('kes-app');
        // Spans go over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
        const tracing = startTracingFromEnv('kes');
        const taskTimeoutMs = opts.taskTimeoutMs ?? envInteger('KES_TASK_TIMEOUT_MS');
        const http = opts.http
          ? httpFromEnv({
              ...(opts.httpPort !== undefined ? { port: opts.httpPort } : {}),
              ...(opts.httpHost !== undefined ? { host: opts.httpHost } : {}),
              ...(opts.advertisedUrl !== undefined ? { advertisedUrl: opts.advertisedUrl } : {}),
            })
          : undefined;
        await runApp(
          logger,
          (controls) =>
            startApp({
              application,
              brokers: brokerList(opts.brokers),
              registryUrl: opts.registry,
              registryAuth: registryAuthFromEnv(),
              kafka: kafkaConnectionFromEnv(),
              dataDir: opts.data,
              ...(opts.instanceId ? { instanceId: opts.instanceId } : {}),
              ...(opts.processors ? { processors: brokerList(opts.processors) } : {}),
              guarantee: opts.atLeastOnce ? 'at_least_once' : 'exactly_once',
              idempotency: idempotencyWindow(opts),
              ...(taskTimeoutMs !== undefined ? { taskTimeoutMs } : {}),
              ...controls,
              ...(http ? { http } : {}),
              logger,
            }),
          { drainMs: http?.drainMs ?? 0, afterClose: async () => void (await tracing?.shutdown()) },
        );
      },
    );
}
