import { describe, expect, it } from 'vitest';
import { basicAuthorization, type Env, kafkaConnection, registryAuth } from './kafkaConnection.js';

/** PEM files by path; reading any other path fails as the file system would. */
const files: Record<string, string> = {
  '/tls/ca.pem': 'CA PEM',
  '/tls/client.pem': 'CERT PEM',
  '/tls/client.key': 'KEY PEM',
};
const readFile = (path: string) => {
  const text = files[path];
  if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
  return text;
};
const connection = (env: Env) => kafkaConnection(env, readFile);
const credentials = { KAFKA_SASL_USERNAME: 'kes', KAFKA_SASL_PASSWORD: 's3cret' };

describe('kafkaConnection', () => {
  it('is plaintext without settings, or with PLAINTEXT or empty values', () => {
    expect(connection({})).toEqual({});
    expect(connection({ KAFKA_SECURITY_PROTOCOL: 'PLAINTEXT' })).toEqual({});
    expect(connection({ KAFKA_SECURITY_PROTOCOL: '', KAFKA_SASL_USERNAME: '' })).toEqual({});
  });

  it('maps every SASL protocol and mechanism to KafkaJS sasl, with ssl for SASL_SSL', () => {
    const mechanisms = { PLAIN: 'plain', 'SCRAM-SHA-256': 'scram-sha-256', 'SCRAM-SHA-512': 'scram-sha-512' };
    for (const [name, mechanism] of Object.entries(mechanisms)) {
      const sasl = { mechanism, username: 'kes', password: 's3cret' };
      const env = { KAFKA_SASL_MECHANISM: name, ...credentials };
      expect(connection({ KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT', ...env })).toEqual({ sasl });
      expect(connection({ KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', ...env })).toEqual({
        ssl: { rejectUnauthorized: true },
        sasl,
      });
    }
  });

  it('reads names case-insensitively, as Kafka reads security.protocol', () => {
    expect(
      connection({
        KAFKA_SECURITY_PROTOCOL: 'sasl_ssl',
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        ...credentials,
      }),
    ).toEqual({
      ssl: { rejectUnauthorized: true },
      sasl: { mechanism: 'scram-sha-512', username: 'kes', password: 's3cret' },
    });
  });

  it('maps SSL to ssl, verifying the broker by default', () => {
    expect(connection({ KAFKA_SECURITY_PROTOCOL: 'SSL' })).toEqual({ ssl: { rejectUnauthorized: true } });
    for (const [value, rejectUnauthorized] of [
      ['true', true],
      ['false', false],
      ['FALSE', false],
    ] as const) {
      expect(connection({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_REJECT_UNAUTHORIZED: value })).toEqual({
        ssl: { rejectUnauthorized },
      });
    }
  });

  it('reads the CA, the client certificate and its key into ssl', () => {
    expect(
      connection({
        KAFKA_SECURITY_PROTOCOL: 'SSL',
        KAFKA_SSL_CA_LOCATION: '/tls/ca.pem',
        KAFKA_SSL_CERTIFICATE_LOCATION: '/tls/client.pem',
        KAFKA_SSL_KEY_LOCATION: '/tls/client.key',
        KAFKA_SSL_KEY_PASSWORD: 'key-pass',
      }),
    ).toEqual({
      ssl: {
        ca: 'CA PEM',
        cert: 'CERT PEM',
        key: 'KEY PEM',
        passphrase: 'key-pass',
        rejectUnauthorized: true,
      },
    });
    expect(
      connection({
        KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
        KAFKA_SASL_MECHANISM: 'PLAIN',
        ...credentials,
        KAFKA_SSL_CA_LOCATION: '/tls/ca.pem',
      }),
    ).toEqual({
      ssl: { ca: 'CA PEM', rejectUnauthorized: true },
      sasl: { mechanism: 'plain', username: 'kes', password: 's3cret' },
    });
  });

  it('refuses what it cannot map, naming the variable', () => {
    const sasl = { KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_MECHANISM: 'PLAIN' };
    const refusals: [Env, string][] = [
      [
        { KAFKA_SECURITY_PROTOCOL: 'TLS' },
        'KAFKA_SECURITY_PROTOCOL: unknown protocol TLS (one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL)',
      ],
      [
        { KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', ...credentials },
        'KAFKA_SASL_MECHANISM is required with SASL_SSL (one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)',
      ],
      [
        { ...sasl, KAFKA_SASL_MECHANISM: 'GSSAPI', ...credentials },
        'KAFKA_SASL_MECHANISM: unsupported mechanism GSSAPI (one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)',
      ],
      [{ ...sasl, KAFKA_SASL_PASSWORD: 'x' }, 'KAFKA_SASL_USERNAME is required with SASL_SSL'],
      [
        { ...sasl, KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT', KAFKA_SASL_USERNAME: 'kes' },
        'KAFKA_SASL_PASSWORD is required with SASL_PLAINTEXT',
      ],
      [
        { KAFKA_SASL_MECHANISM: 'PLAIN', ...credentials },
        'KAFKA_SASL_MECHANISM is set but KAFKA_SECURITY_PROTOCOL is PLAINTEXT: it needs SASL_PLAINTEXT or SASL_SSL',
      ],
      [
        { KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SASL_USERNAME: 'kes' },
        'KAFKA_SASL_USERNAME is set but KAFKA_SECURITY_PROTOCOL is SSL: it needs SASL_PLAINTEXT or SASL_SSL',
      ],
      [
        {
          ...sasl,
          KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT',
          ...credentials,
          KAFKA_SSL_CA_LOCATION: '/tls/ca.pem',
        },
        'KAFKA_SSL_CA_LOCATION is set but KAFKA_SECURITY_PROTOCOL is SASL_PLAINTEXT: it needs SSL or SASL_SSL',
      ],
      [
        { KAFKA_SSL_REJECT_UNAUTHORIZED: 'false' },
        'KAFKA_SSL_REJECT_UNAUTHORIZED is set but KAFKA_SECURITY_PROTOCOL is PLAINTEXT: it needs SSL or SASL_SSL',
      ],
      [
        { KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_REJECT_UNAUTHORIZED: 'no' },
        'KAFKA_SSL_REJECT_UNAUTHORIZED: expected true or false, got no',
      ],
      [
        { KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_KEY_LOCATION: '/tls/client.key' },
        'KAFKA_SSL_KEY_LOCATION is set without KAFKA_SSL_CERTIFICATE_LOCATION: a client certificate needs both',
      ],
      [
        { KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CERTIFICATE_LOCATION: '/tls/client.pem' },
        'KAFKA_SSL_CERTIFICATE_LOCATION is set without KAFKA_SSL_KEY_LOCATION: a client certificate needs both',
      ],
      [
        { KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_KEY_PASSWORD: 'key-pass' },
        'KAFKA_SSL_KEY_PASSWORD is set without KAFKA_SSL_KEY_LOCATION',
      ],
      [
        { KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CA_LOCATION: '/tls/missing.pem' },
        "KAFKA_SSL_CA_LOCATION: cannot read /tls/missing.pem: ENOENT: no such file or directory, open '/tls/missing.pem'",
      ],
    ];
    for (const [env, message] of refusals) expect(() => connection(env), message).toThrow(message);
  });

  it('never puts a password in its errors', () => {
    const env = { KAFKA_SASL_PASSWORD: 's3cret', KAFKA_SSL_KEY_PASSWORD: 'key-pass' };
    for (const protocol of ['PLAINTEXT', 'SSL', 'SASL_SSL']) {
      const refusal = () => connection({ KAFKA_SECURITY_PROTOCOL: protocol, ...env });
      expect(refusal).toThrow();
      expect(refusal).not.toThrow(/s3cret|key-pass/);
    }
  });
});

describe('registryAuth', () => {
  it('is undefined without SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO', () => {
    expect(registryAuth({})).toBeUndefined();
    expect(registryAuth({ SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: '' })).toBeUndefined();
  });

  it('splits user:password at the first colon', () => {
    expect(registryAuth({ SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: 'kes:s3cret' })).toEqual({
      username: 'kes',
      password: 's3cret',
    });
    expect(registryAuth({ SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: 'API_KEY:a:b::c' })).toEqual({
      username: 'API_KEY',
      password: 'a:b::c',
    });
    expect(registryAuth({ SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: 'kes:' })).toEqual({
      username: 'kes',
      password: '',
    });
  });

  it('refuses a value without a user, never echoing it', () => {
    expect(() => registryAuth({ SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: 's3cret' })).toThrow(
      'SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: expected user:password, found no ":"',
    );
    expect(() => registryAuth({ SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: ':s3cret' })).toThrow(
      'SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: expected user:password, the user is empty',
    );
  });

  it('is sent as an RFC 7617 Authorization header', () => {
    // RFC 7617 section 2's example.
    expect(basicAuthorization({ username: 'Aladdin', password: 'open sesame' })).toBe(
      'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==',
    );
  });
});
