import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { topology } from '../../topology/index.js';
import { KAFKA_IMAGE } from '../kafka/kafkaJars.js';
import {
  type ComposeFile,
  type ComposeService,
  ROOT,
  commandLine,
  commandWords,
  dependencies,
  dockerEnv,
  environment,
  finalStage,
  listeners,
  mounts,
  portMappings,
  readYaml,
} from './deployFiles.js';

/**
 * docker-compose.yml, the Dockerfile, deploy/prometheus.yml and the topology must agree: broker
 * addresses, listener ports, the registry's URL, each kes app's name, port and advertised URL, the
 * scrape targets, the replication factor. Nothing here runs a container; the files are read and
 * compared (int tier: it reads the repository and may run `docker compose config`).
 */
const compose = readYaml<ComposeFile>('docker-compose.yml');
const services = Object.entries(compose.services);
const named = (predicate: (service: ComposeService, name: string) => boolean) =>
  services.filter(([name, service]) => predicate(service, name));

const brokers = named((s) => s.image?.startsWith('apache/kafka') ?? false);
const registries = named((s) => s.image?.startsWith('confluentinc/cp-schema-registry') ?? false);
const prometheuses = named((s) => s.image?.startsWith('prom/prometheus') ?? false);
// kes services are the ones built from this repository.
const kes = named((s) => s.build !== undefined);
const apps = kes.filter(([, s]) => commandWords(s)[0] === 'app');
const setups = kes.filter(([, s]) => commandLine(s).includes('topology apply'));

const internalListener = (name: string, service: ComposeService) => {
  const env = environment(service);
  const listenerName = env.KAFKA_INTER_BROKER_LISTENER_NAME!;
  const listen = listeners(env.KAFKA_LISTENERS!).get(listenerName);
  const advertised = listeners(env.KAFKA_ADVERTISED_LISTENERS!).get(listenerName);
  expect(listen, `${name} listens on ${listenerName}`).toBeDefined();
  expect(advertised, `${name} advertises ${listenerName}`).toEqual({ host: name, port: listen!.port });
  return `${name}:${listen!.port}`;
};
const internalAddresses = () => brokers.map(([name, s]) => internalListener(name, s)).sort();
const httpPort = (service: ComposeService) => Number(environment(service).KES_HTTP_PORT);

describe('docker-compose.yml', () => {
  it('runs the Kafka version the real-cluster tests run (test/kafka/pom.xml)', () => {
    expect(new Set(brokers.map(([, s]) => s.image))).toEqual(new Set([KAFKA_IMAGE]));
  });

  it('has three brokers, a registry, one setup, two or more apps and Prometheus', () => {
    expect(brokers.map(([name]) => name)).toEqual(['kafka-1', 'kafka-2', 'kafka-3']);
    expect(registries).toHaveLength(1);
    expect(setups.map(([name]) => name)).toEqual(['kes-setup']);
    expect(apps.length).toBeGreaterThanOrEqual(2);
    expect(prometheuses).toHaveLength(1);
  });

  it('forms one KRaft cluster: one cluster id, unique node ids, every node a voter', () => {
    const envs = brokers.map(([name, s]) => ({ name, env: environment(s) }));
    expect(new Set(envs.map(({ env }) => env.CLUSTER_ID)).size).toBe(1);
    expect(new Set(envs.map(({ env }) => env.KAFKA_NODE_ID)).size).toBe(brokers.length);
    const voters = envs
      .map(({ name, env }) => {
        const controller = listeners(env.KAFKA_LISTENERS!).get(env.KAFKA_CONTROLLER_LISTENER_NAMES!);
        return `${env.KAFKA_NODE_ID}@${name}:${controller!.port}`;
      })
      .sort();
    for (const { env } of envs) {
      expect(env.KAFKA_PROCESS_ROLES).toBe('broker,controller');
      expect(env.KAFKA_CONTROLLER_QUORUM_VOTERS!.split(',').sort()).toEqual(voters);
    }
  });

  it('gives each broker an internal listener under its name and an external one on its host port', () => {
    internalAddresses();
    for (const [name, s] of brokers) {
      const env = environment(s);
      const listen = listeners(env.KAFKA_LISTENERS!);
      const protocols = new Set(
        env.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP!.split(',').map((p) => p.split(':')[0]),
      );
      for (const listenerName of listen.keys()) expect(protocols, name).toContain(listenerName);
      const external = [...listeners(env.KAFKA_ADVERTISED_LISTENERS!)].filter(
        ([listenerName]) => listenerName !== env.KAFKA_INTER_BROKER_LISTENER_NAME,
      );
      expect(external, `${name} has an external listener`).toHaveLength(1);
      const [listenerName, advertised] = external[0]!;
      expect(advertised.host).toBe('localhost');
      // Clients on the host are sent back to the advertised port: it must be published there.
      expect(portMappings(s)).toContainEqual({
        published: advertised.port,
        target: listen.get(listenerName)!.port,
      });
    }
  });

  it('replicates the internal topics on every broker, with a write quorum below that', () => {
    for (const [name, s] of brokers) {
      const env = environment(s);
      for (const key of [
        'KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR',
        'KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR',
        'KAFKA_DEFAULT_REPLICATION_FACTOR',
      ]) {
        expect(Number(env[key]), `${name} ${key}`).toBe(brokers.length);
      }
      expect(Number(env.KAFKA_TRANSACTION_STATE_LOG_MIN_ISR)).toBeLessThan(brokers.length);
      expect(Number(env.KAFKA_MIN_INSYNC_REPLICAS)).toBeLessThan(brokers.length);
    }
  });

  it('points every kes service at every broker and at the registry', () => {
    const [registryName, registry] = registries[0]!;
    const registryEnv = environment(registry);
    const registryPort = new URL(registryEnv.SCHEMA_REGISTRY_LISTENERS!).port;
    expect(
      registryEnv
        .SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS!.split(',')
        .map((b) => b.replace(/^[A-Z_]+:\/\//, ''))
        .sort(),
    ).toEqual(internalAddresses());
    expect(Number(registryEnv.SCHEMA_REGISTRY_KAFKASTORE_TOPIC_REPLICATION_FACTOR ?? 3)).toBeLessThanOrEqual(
      brokers.length,
    );
    for (const [name, s] of kes) {
      const env = environment(s);
      expect(env.KAFKA_BROKERS!.split(',').sort(), name).toEqual(internalAddresses());
      expect(env.SCHEMA_REGISTRY_URL, name).toBe(`http://${registryName}:${registryPort}`);
    }
  });

  it('runs each kes app under its own name, advertised URL, instance id, store and host port', () => {
    const ids = new Set<string>();
    const stores = new Set<string>();
    for (const [name, s] of apps) {
      const env = environment(s);
      expect(env.KES_HTTP_HOST, name).toBe('0.0.0.0');
      expect(env.KES_ADVERTISED_URL, name).toBe(`http://${name}:${httpPort(s)}`);
      expect(
        portMappings(s).map((p) => p.target),
        name,
      ).toEqual([httpPort(s)]);
      ids.add(env.KES_INSTANCE_ID!);
      const store = mounts(s).find((m) => m.target === env.KES_DATA_DIR);
      expect(store, `${name} mounts a volume at KES_DATA_DIR`).toBeDefined();
      stores.add(store!.source);
      expect(dependencies(s).get('kes-setup'), name).toBe('service_completed_successfully');
    }
    expect(ids.size).toBe(apps.length);
    expect(stores.size).toBe(apps.length);
    // Instances sign the tokens of their internal reads with it: one secret for all.
    expect(new Set(apps.map(([, s]) => environment(s).KES_JWT_SECRET)).size).toBe(1);
  });

  it('publishes no host port twice', () => {
    const published = services.flatMap(([, s]) => portMappings(s).map((p) => p.published));
    expect(published.length).toBeGreaterThan(0);
    expect(new Set(published).size).toBe(published.length);
  });

  it('sets up the topics with one replica per broker, within the topology, before any app starts', () => {
    const [name, setup] = setups[0]!;
    const line = commandLine(setup);
    expect(line).toContain('schemas register');
    const replication = Number(/--replication-factor[ =](\d+)/.exec(line)?.[1]);
    expect(replication, `${name} passes --replication-factor`).toBe(brokers.length);
    for (const topic of topology.topics)
      expect(replication, topic.name).toBeLessThanOrEqual(topic.replicationFactor);
    const deps = dependencies(setup);
    for (const [dependency] of [...brokers, ...registries])
      expect(deps.get(dependency)).toBe('service_healthy');
  });

  it('names no topic the topology lacks, and keeps the registry out of the topology', () => {
    const topics = new Set(topology.topics.map((t) => t.name));
    for (const [name, s] of kes) {
      const mentioned = [...commandLine(s).matchAll(/(?:\btail|--topic)[ =]([^\s&;]+)/g)].map((m) => m[1]!);
      for (const topic of mentioned) expect(topics, `${name} names ${topic}`).toContain(topic);
    }
    for (const [, s] of registries) {
      expect(topics).not.toContain(environment(s).SCHEMA_REGISTRY_KAFKASTORE_TOPIC ?? '_schemas');
    }
  });
});

describe('deploy/prometheus.yml', () => {
  it('scrapes /metrics of exactly the kes apps, at their HTTP ports', () => {
    const [, prometheus] = prometheuses[0]!;
    const config = mounts(prometheus).find((m) => m.target === '/etc/prometheus/prometheus.yml');
    expect(config?.source).toBe('./deploy/prometheus.yml');
    const scrape = readYaml<{
      scrape_configs: { metrics_path?: string; static_configs: { targets: string[] }[] }[];
    }>(config!.source).scrape_configs;
    const targets = scrape
      .filter((job) => (job.metrics_path ?? '/metrics') === '/metrics')
      .flatMap((job) => job.static_configs.flatMap((c) => c.targets));
    expect(targets.sort()).toEqual(apps.map(([name, s]) => `${name}:${httpPort(s)}`).sort());
  });
});

describe('Dockerfile', () => {
  const stage = finalStage('Dockerfile');
  const args = (keyword: string) => stage.filter((i) => i.keyword === keyword).map((i) => i.args);

  it('is the image every kes service builds', () => {
    for (const [name, s] of kes) {
      const context = typeof s.build === 'string' ? s.build : (s.build?.context ?? '.');
      expect(path.resolve(ROOT, context), name).toBe(ROOT);
    }
    expect(new Set(kes.map(([, s]) => s.image)).size).toBe(1);
  });

  it('exposes, defaults to and health-checks the HTTP port the apps use', () => {
    const ports = new Set(apps.map(([, s]) => httpPort(s)));
    expect(ports.size).toBe(1);
    const [port] = ports;
    expect(args('EXPOSE').flatMap((a) => a.split(/\s+/).map((p) => Number(p.split('/')[0])))).toContain(port);
    expect(Number(dockerEnv(stage).KES_HTTP_PORT)).toBe(port);
    const healthcheck = args('HEALTHCHECK').join(' ');
    expect(healthcheck).toContain('/health/live');
    expect(healthcheck).toContain('process.env.KES_HTTP_PORT');
  });

  it("runs package.json's kes binary as a non-root user, with the schemas beside it", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    expect(JSON.parse(args('ENTRYPOINT').at(-1)!)).toEqual(['node', pkg.bin.kes]);
    expect(args('USER').at(-1)).toMatch(/^(?!root$|0$)\S+/);
    expect(args('COPY')).toContain('schemas ./schemas');
    expect(dockerEnv(stage).KES_DATA_DIR).toBe(environment(apps[0]![1]).KES_DATA_DIR);
  });
});

// `docker compose config` parses and validates without a daemon, but needs the Compose plugin: a
// bare `docker` CLI (without Compose) counts as absent.
const dockerCompose = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' }).status === 0;

describe('docker compose', () => {
  it.skipIf(!dockerCompose)(
    dockerCompose
      ? 'docker compose config -q accepts the file'
      : 'docker compose config -q accepts the file (skipped: Docker Compose is absent)',
    () => {
      const result = spawnSync('docker', ['compose', '-f', 'docker-compose.yml', 'config', '-q'], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(result.status, result.stderr).toBe(0);
    },
  );
});
