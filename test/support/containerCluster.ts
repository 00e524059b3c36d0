import * as net from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { GenericContainer, getContainerRuntimeClient, Network, Wait } from 'testcontainers';
import { KAFKA_IMAGE } from '../kafka/kafkaJars.js';
import { applyTestTopology } from './embeddedStack.js';
import type { TestCluster } from './testCluster.js';

export const REGISTRY_IMAGE = 'confluentinc/cp-schema-registry:7.7.1';

/**
 * Why real containers cannot run here, or undefined when a container runtime answers. Asked once
 * per test file, so a suite can skip with the reason in its name.
 */
export async function containersUnavailable(): Promise<string | undefined> {
  try {
    const client = await Promise.race([
      getContainerRuntimeClient(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer within 10 s')), 10_000)),
    ]);
    return client ? undefined : 'no container runtime';
  } catch (err) {
    return `no reachable Docker engine (${(err as Error).message.split('\n')[0]})`;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A real Kafka (one KRaft node, apache/kafka) and a Confluent Schema Registry in containers on a
 * network of their own, with the topology applied. Kafka advertises its host port to clients
 * outside (the tests, `kes app` processes) and its network alias to the registry.
 */
export async function containerCluster(): Promise<TestCluster> {
  const runtime = await getContainerRuntimeClient();
  const host = runtime.info.containerRuntime.host;
  const port = await freePort();
  const network = await new Network().start();
  const kafka = await new GenericContainer(KAFKA_IMAGE)
    .withNetwork(network)
    .withNetworkAliases('kafka')
    .withExposedPorts({ container: 9092, host: port })
    .withEnvironment({
      CLUSTER_ID: 'LC6QkxB3pVPnkDt8czlagg',
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'INTERNAL://:19092,CONTROLLER://:9093,EXTERNAL://:9092',
      KAFKA_ADVERTISED_LISTENERS: `INTERNAL://kafka:19092,EXTERNAL://${host}:${port}`,
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,EXTERNAL:PLAINTEXT',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'INTERNAL',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@kafka:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
    })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(120_000)
    .start();
  const registry = await new GenericContainer(REGISTRY_IMAGE)
    .withNetwork(network)
    .withExposedPorts(8081)
    .withEnvironment({
      SCHEMA_REGISTRY_HOST_NAME: 'schema-registry',
      SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS: 'PLAINTEXT://kafka:19092',
      SCHEMA_REGISTRY_LISTENERS: 'http://0.0.0.0:8081',
    })
    .withWaitStrategy(Wait.forHttp('/subjects', 8081).forStatusCode(200))
    .withStartupTimeout(120_000)
    .start()
    .catch(async (err: unknown) => {
      await kafka.stop();
      await network.stop();
      throw err;
    });
  const bootstrap = `${host}:${port}`;
  const client = (clientId: string) =>
    new Kafka({ clientId, brokers: [bootstrap], logLevel: logLevel.NOTHING });
  await applyTestTopology(client('kes-test-topology'));
  return {
    bootstrap,
    registryUrl: `http://${registry.getHost()}:${registry.getMappedPort(8081)}`,
    kafka: client,
    async stop() {
      await registry.stop();
      await kafka.stop();
      await network.stop();
    },
  };
}
