// First: KafkaJS must be loaded after kes's fixes to it are in place.
import { assertKafkaJsFixes } from '../kafka/kafkaJsFixes.js';
import { Kafka, logLevel } from 'kafkajs';
import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { kafkaConnection, registryAuth } from '../config/kafkaConnection.js';

/** Parses an integer option value, refusing anything else. */
export function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`not an integer: ${value}`);
  return n;
}

/** Collects a repeatable option into an array. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Resolves with the name of the first SIGTERM or SIGINT. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', on);
      process.off('SIGINT', on);
      resolve(signal);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
}

/** Default Kafka bootstrap servers: KAFKA_BROKERS, else the embedded broker's address. */
export const defaultBrokers = () => process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';

/** Default schema registry URL: SCHEMA_REGISTRY_URL, else the embedded registry's address. */
export const defaultRegistry = () => process.env.SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081';

/** TLS and SASL of the Kafka clients from KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_* and KAFKA_SSL_*. */
export const kafkaConnectionFromEnv = () => kafkaConnection(process.env, (path) => readFileSync(path));

/** The schema registry's basic auth from SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO (user:password). */
export const registryAuthFromEnv = () => registryAuth(process.env);

/** Splits a comma-separated broker list. */
export const brokerList = (value: string) =>
  value
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);

/**
 * The HTTP API settings from the environment: KES_HTTP_PORT (3000), KES_HTTP_HOST, KES_ADVERTISED_URL,
 * limits, and KES_JWT_SECRET (bearer tokens required when set and not empty).
 */
export function httpFromEnv(overrides: { port?: number; host?: string; advertisedUrl?: string } = {}) {
  const env = process.env;
  const limits = {
    ...(env.KES_HTTP_BODY_LIMIT ? { bodyLimit: Number(env.KES_HTTP_BODY_LIMIT) } : {}),
    ...(env.KES_COMMAND_TIMEOUT_MS ? { commandTimeoutMs: Number(env.KES_COMMAND_TIMEOUT_MS) } : {}),
    ...(env.KES_QUERY_WAIT_MS ? { queryWaitMs: Number(env.KES_QUERY_WAIT_MS) } : {}),
  };
  const advertisedUrl = overrides.advertisedUrl ?? env.KES_ADVERTISED_URL;
  return {
    port: overrides.port ?? Number(env.KES_HTTP_PORT ?? 3000),
    host: overrides.host ?? env.KES_HTTP_HOST ?? '127.0.0.1',
    ...(advertisedUrl ? { advertisedUrl } : {}),
    limits,
    ...(env.KES_JWT_SECRET ? { jwtSecret: env.KES_JWT_SECRET } : {}),
    ...(env.KES_DRAIN_MS ? { drainMs: integer(env.KES_DRAIN_MS) } : {}),
  };
}

/** A KafkaJS client for a CLI command: the brokers given, security from the environment, quiet. */
export function cliKafka(clientId: string, brokers: string): Kafka {
  assertKafkaJsFixes();
  return new Kafka({
    clientId,
    brokers: brokerList(brokers),
    logLevel: logLevel.NOTHING,
    ...kafkaConnectionFromEnv(),
  });
}

/** A positive integer from the environment, or undefined when unset. */
export function envInteger(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0)
    throw new InvalidArgumentError(`${name}: not a positive integer: ${raw}`);
  return n;
}

/**
 * The idempotency window from `--idempotency-retention-ms` / `--idempotency-max-results`, else
 * KES_IDEMPOTENCY_RETENTION_MS / KES_IDEMPOTENCY_MAX_RESULTS; each a positive integer.
 */
export function idempotencyWindow(
  opts: { idempotencyRetentionMs?: number; idempotencyMaxResults?: number } = {},
): {
  retentionMs?: number;
  maxResults?: number;
} {
  const pick = (flag: number | undefined, env: string) => {
    const raw =
      flag ??
      (process.env[env] !== undefined && process.env[env] !== '' ? Number(process.env[env]) : undefined);
    if (raw === undefined) return undefined;
    if (!Number.isInteger(raw) || raw <= 0)
      throw new InvalidArgumentError(`${env}: not a positive integer: ${raw}`);
    return raw;
  };
  const retentionMs = pick(opts.idempotencyRetentionMs, 'KES_IDEMPOTENCY_RETENTION_MS');
  const maxResults = pick(opts.idempotencyMaxResults, 'KES_IDEMPOTENCY_MAX_RESULTS');
  return {
    ...(retentionMs !== undefined ? { retentionMs } : {}),
    ...(maxResults !== undefined ? { maxResults } : {}),
  };
}
