import * as path from 'node:path';
import type { Command } from 'commander';
import type { KesApplication } from '../app/kesApplication.js';
import { startTracingFromEnv } from '../tracing/tracing.js';
import { startApp } from '../app/startApp.js';
import { startBroker } from '../broker/index.js';
import { startRegistry } from '../registry/index.js';
import {
  brokerList,
  httpFromEnv,
  idempotencyWindow,
  kafkaConnectionFromEnv,
  registryAuthFromEnv,
  envInteger,
} from './options.js';
import { runApp } from './runApp.js';
import { cliLogger } from './cliLogger.js';

/**
 * `kes start` (what `npm start` runs): the embedded default in one process — the embedded broker
 * on KES_BROKER_PORT (9092) and the embedded schema registry on KES_REGISTRY_PORT (8081), with
 * data under KES_DATA_DIR (./data), then the application (topology, schemas, every processor)
 * with its HTTP API on KES_HTTP_PORT (3000).
 * With KAFKA_BROKERS / SCHEMA_REGISTRY_URL set, it uses those instead of embedding them.
 */
export function startCommand(program: Command, app: () => KesApplication): void {
  program
    .command('start')
    .description(
      'run kes: the embedded broker and schema registry (unless KAFKA_BROKERS / SCHEMA_REGISTRY_URL are set), every processor and the HTTP API',
    )
    .action(async () => {
      const application = app();
      const logger = cliLogger('kes');
      // Spans go over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
      const tracing = startTracingFromEnv('kes');
      const dataDir = process.env.KES_DATA_DIR ?? './data';
      const taskTimeoutMs = envInteger('KES_TASK_TIMEOUT_MS');
      // The embedded broker and registry are plaintext; an external Kafka or registry may not be.
      const kafka = process.env.KAFKA_BROKERS ? kafkaConnectionFromEnv() : {};
      const registryAuth = process.env.SCHEMA_REGISTRY_URL ? registryAuthFromEnv() : undefined;
      const broker = process.env.KAFKA_BROKERS
        ? undefined
        : await startBroker({
            port: Number(process.env.KES_BROKER_PORT ?? 9092),
            dataDir: path.join(dataDir, 'broker'),
            // One application instance joins these groups: nothing to wait for.
            groupInitialRebalanceDelayMs: 0,
            logger: logger.child({ component: 'broker' }),
          });
      const brokers = broker ? [broker.bootstrap] : brokerList(process.env.KAFKA_BROKERS!);
      const registry = process.env.SCHEMA_REGISTRY_URL
        ? undefined
        : await startRegistry({
            port: Number(process.env.KES_REGISTRY_PORT ?? 8081),
            brokers,
            kafka,
            logger: logger.child({ component: 'registry' }),
          });
      const http = httpFromEnv();
      await runApp(
        logger,
        (controls) =>
          startApp({
            application,
            brokers,
            registryUrl: registry?.url ?? process.env.SCHEMA_REGISTRY_URL!,
            registryAuth,
            kafka,
            dataDir: path.join(dataDir, 'app'),
            ...(process.env.KES_INSTANCE_ID ? { instanceId: process.env.KES_INSTANCE_ID } : {}),
            http,
            idempotency: idempotencyWindow(),
            ...(taskTimeoutMs !== undefined ? { taskTimeoutMs } : {}),
            ...controls,
            logger: logger.child({ component: 'app' }),
          }),
        {
          drainMs: http.drainMs ?? 0,
          onReady: (app) =>
            logger.info(
              { brokers, registry: registry?.url ?? process.env.SCHEMA_REGISTRY_URL, url: app.url },
              `kes is ready: ${app.url}`,
            ),
          async afterClose() {
            await registry?.close();
            await broker?.close();
            await tracing?.shutdown();
          },
        },
      );
    });
}
