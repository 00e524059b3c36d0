import type { KafkaConfig } from 'kafkajs';
import pino, { type Logger } from 'pino';
import { buildRegistryApp } from './http/buildRegistryApp.js';
import { KafkaSchemasLog } from './kafkaSchemasLog.js';
import { RegistryService } from './registryService.js';
import type { SchemasLog } from './schemasLog.js';

/** Settings of the embedded schema registry; every field has a default. */
export interface RegistryOptions {
  /** HTTP port; 0 picks a free one. Default 8081. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Kafka bootstrap servers (host:port) holding the `_schemas` topic. Default 127.0.0.1:9092. */
  brokers?: string[];
  /** Security of the Kafka connection (TLS, SASL). Default plaintext. */
  kafka?: Pick<KafkaConfig, 'ssl' | 'sasl'>;
  /** The topic the registry keeps its state in (kafkastore.topic). Default `_schemas`. */
  topic?: string;
  /** Refuse writes (42205) and only serve what the writing instance stored. Default false. */
  readOnly?: boolean;
  /** How long reading the topic to its end may take at start. Default 60 s. */
  initTimeoutMs?: number;
  /** How long a write may take to be read back (then 50002). Default 10 s. */
  writeTimeoutMs?: number;
  /** Where the state is kept, in place of the Kafka topic (tests). */
  log?: SchemasLog;
  logger?: Logger;
}

export interface RegistryHandle {
  readonly host: string;
  readonly port: number;
  /** http://host:port, for SCHEMA_REGISTRY_URL and clients. */
  readonly url: string;
  readonly service: RegistryService;
  /** Stops accepting requests, finishes the writes under way and disconnects from Kafka. */
  close(): Promise<void>;
}

/**
 * Starts the embedded schema registry: reads the `_schemas` topic to its end (creating it if
 * missing), then serves Confluent's REST API on `host:port`. Resolves once it accepts requests.
 */
export async function startRegistry(options: RegistryOptions = {}): Promise<RegistryHandle> {
  const port = options.port ?? 8081;
  const host = options.host ?? '127.0.0.1';
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port ${port}`);
  const logger = options.logger ?? pino({ name: 'kes-registry', level: process.env.KES_LOG_LEVEL ?? 'info' });
  const topic = options.topic ?? '_schemas';
  const log =
    options.log ??
    new KafkaSchemasLog({
      brokers: options.brokers ?? ['127.0.0.1:9092'],
      topic,
      clientId: 'kes-registry',
      kafka: options.kafka,
      initTimeoutMs: options.initTimeoutMs ?? 60_000,
      writeTimeoutMs: options.writeTimeoutMs ?? 10_000,
      logger,
    });
  const service = new RegistryService({ log, logger, readOnly: options.readOnly });
  try {
    await service.start();
  } catch (err) {
    await log.close();
    throw err;
  }
  const app = buildRegistryApp(service, logger);
  try {
    await app.listen({ port, host });
  } catch (err) {
    await service.close();
    throw err;
  }
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;
  logger.info(
    {
      host,
      port: boundPort,
      topic,
      readOnly: service.readOnly,
      subjects: service.state.subjectNames().length,
    },
    `listening on ${host}:${boundPort}`,
  );

  let closing: Promise<void> | undefined;
  return {
    host,
    port: boundPort,
    url,
    service,
    close() {
      closing ??= (async () => {
        await app.close();
        await service.close();
        logger.info('registry stopped');
      })();
      return closing;
    },
  };
}
