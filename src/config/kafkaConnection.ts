import type { ConnectionOptions } from 'node:tls';
import type { KafkaConfig, SASLOptions } from 'kafkajs';

/** Environment variables, e.g. `process.env`; an empty value counts as unset. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Reads a PEM file named by a `KAFKA_SSL_*_LOCATION` variable. */
export type ReadFile = (path: string) => string | Buffer;

/** The security settings of a KafkaJS client: TLS (`ssl`) and SASL (`sasl`). */
export type KafkaConnection = Pick<KafkaConfig, 'ssl' | 'sasl'>;

/**
 * Basic auth of the schema registry client (`auth` of `new SchemaRegistry`). A type, not an
 * interface: mappersmith's `Auth` has an index signature, which only a type literal satisfies.
 */
export type RegistryAuth = { readonly username: string; readonly password: string };

/** Kafka's `security.protocol` values. */
export const SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
export type SecurityProtocol = (typeof SECURITY_PROTOCOLS)[number];

/** Kafka's `sasl.mechanism` names KafkaJS implements, and KafkaJS's own names for them. */
const MECHANISMS = {
  PLAIN: 'plain',
  'SCRAM-SHA-256': 'scram-sha-256',
  'SCRAM-SHA-512': 'scram-sha-512',
} as const satisfies Record<string, SASLOptions['mechanism']>;

const SASL_VARIABLES = ['KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'];
const SSL_VARIABLES = [
  'KAFKA_SSL_CA_LOCATION',
  'KAFKA_SSL_CERTIFICATE_LOCATION',
  'KAFKA_SSL_KEY_LOCATION',
  'KAFKA_SSL_KEY_PASSWORD',
  'KAFKA_SSL_REJECT_UNAUTHORIZED',
];

/**
 * The KafkaJS `ssl` and `sasl` settings from the environment, named after the Kafka client
 * configs they stand for (`security.protocol`, `sasl.mechanism`, librdkafka's
 * `ssl.*.location`). PLAINTEXT (the default) gives neither. A variable the protocol would
 * ignore is refused rather than dropped, so credentials are never silently unused; errors
 * name variables, never secret values.
 */
export function kafkaConnection(env: Env, readFile: ReadFile): KafkaConnection {
  const given = (name: string) => (env[name] === '' ? undefined : env[name]);
  const protocolName = given('KAFKA_SECURITY_PROTOCOL') ?? 'PLAINTEXT';
  const protocol = SECURITY_PROTOCOLS.find((p) => p === protocolName.toUpperCase());
  if (!protocol) {
    throw new Error(
      `KAFKA_SECURITY_PROTOCOL: unknown protocol ${protocolName} (one of ${SECURITY_PROTOCOLS.join(', ')})`,
    );
  }
  const sasl = protocol.startsWith('SASL_');
  const tls = protocol.endsWith('SSL');
  const unused = [...(sasl ? [] : SASL_VARIABLES), ...(tls ? [] : SSL_VARIABLES)].find((n) => given(n));
  if (unused) {
    const needs = unused.startsWith('KAFKA_SASL_') ? 'SASL_PLAINTEXT or SASL_SSL' : 'SSL or SASL_SSL';
    throw new Error(`${unused} is set but KAFKA_SECURITY_PROTOCOL is ${protocol}: it needs ${needs}`);
  }
  return {
    ...(tls ? { ssl: sslOptions(given, readFile) } : {}),
    ...(sasl ? { sasl: saslOptions(given, protocol) } : {}),
  };
}

function saslOptions(given: (name: string) => string | undefined, protocol: SecurityProtocol): SASLOptions {
  const names = Object.keys(MECHANISMS).join(', ');
  const name = given('KAFKA_SASL_MECHANISM');
  if (!name) throw new Error(`KAFKA_SASL_MECHANISM is required with ${protocol} (one of ${names})`);
  if (!Object.hasOwn(MECHANISMS, name.toUpperCase())) {
    throw new Error(`KAFKA_SASL_MECHANISM: unsupported mechanism ${name} (one of ${names})`);
  }
  const mechanism = MECHANISMS[name.toUpperCase() as keyof typeof MECHANISMS];
  const username = given('KAFKA_SASL_USERNAME');
  if (!username) throw new Error(`KAFKA_SASL_USERNAME is required with ${protocol}`);
  const password = given('KAFKA_SASL_PASSWORD');
  if (!password) throw new Error(`KAFKA_SASL_PASSWORD is required with ${protocol}`);
  return { mechanism, username, password };
}

function sslOptions(given: (name: string) => string | undefined, readFile: ReadFile): ConnectionOptions {
  const reject = given('KAFKA_SSL_REJECT_UNAUTHORIZED') ?? 'true';
  if (!['true', 'false'].includes(reject.toLowerCase())) {
    throw new Error(`KAFKA_SSL_REJECT_UNAUTHORIZED: expected true or false, got ${reject}`);
  }
  // A client certificate (mutual TLS) is a certificate and its private key together.
  const CERT = 'KAFKA_SSL_CERTIFICATE_LOCATION';
  const KEY = 'KAFKA_SSL_KEY_LOCATION';
  if (given(KEY) && !given(CERT)) {
    throw new Error(`${KEY} is set without ${CERT}: a client certificate needs both`);
  }
  if (given(CERT) && !given(KEY)) {
    throw new Error(`${CERT} is set without ${KEY}: a client certificate needs both`);
  }
  const passphrase = given('KAFKA_SSL_KEY_PASSWORD');
  if (passphrase && !given(KEY)) throw new Error(`KAFKA_SSL_KEY_PASSWORD is set without ${KEY}`);
  const read = (name: string) => {
    const path = given(name);
    if (path === undefined) return undefined;
    try {
      return readFile(path);
    } catch (err) {
      throw new Error(`${name}: cannot read ${path}: ${(err as Error).message}`, { cause: err });
    }
  };
  const ca = read('KAFKA_SSL_CA_LOCATION');
  const cert = read(CERT);
  const key = read(KEY);
  return {
    rejectUnauthorized: reject.toLowerCase() === 'true',
    ...(ca !== undefined ? { ca } : {}),
    ...(cert !== undefined ? { cert } : {}),
    ...(key !== undefined ? { key } : {}),
    ...(passphrase !== undefined ? { passphrase } : {}),
  };
}

/**
 * The schema registry client's basic auth from `SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO`
 * (`user:password`, Confluent's `basic.auth.user.info`); undefined when unset. The user ends
 * at the first `:`, so the password may contain more.
 */
export function registryAuth(env: Env): RegistryAuth | undefined {
  const info = env.SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO;
  if (info === undefined || info === '') return undefined;
  const at = info.indexOf(':');
  if (at < 0) throw new Error('SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: expected user:password, found no ":"');
  if (at === 0)
    throw new Error('SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: expected user:password, the user is empty');
  return { username: info.slice(0, at), password: info.slice(at + 1) };
}

/** The HTTP `Authorization` header value of basic auth (RFC 7617), UTF-8. */
export const basicAuthorization = (auth: RegistryAuth) =>
  `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
