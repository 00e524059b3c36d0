import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { dieWithParent } from '../support/dieWithParent.js';
import { run } from '../support/run.js';
import { KAFKA_VERSION, kafkaJars } from './kafkaJars.js';

export interface KafkaNodesOptions {
  /** Combined broker+controller nodes in one KRaft quorum. Default 3. */
  readonly nodes?: number;
  /** Maximum heap of each node's JVM. Default 384 MB. */
  readonly heapMb?: number;
  /** Broker settings on top of the defaults below. */
  readonly config?: Readonly<Record<string, string>>;
  /** How long the cluster may take to list every node. Default 120 s. */
  readonly startTimeoutMs?: number;
  /**
   * Host name the nodes advertise to clients (they still listen on 127.0.0.1). Default 127.0.0.1;
   * `localhost` suits client test suites that expect that name back in metadata.
   */
  readonly advertisedHost?: string;
}

/**
 * Apache Kafka nodes running as child JVMs: a KRaft quorum whose every node is both broker and
 * controller, on free loopback ports, in a temporary folder.
 */
export interface KafkaNodes {
  readonly version: string;
  readonly count: number;
  /** Every node's host:port, comma-separated, as `--brokers` takes them. */
  readonly bootstrap: string;
  /** One node's host:port. */
  address(node: number): string;
  /** The node's log (slf4j-simple), for a failure message. */
  logFile(node: number): string;
  isRunning(node: number): boolean;
  /** The process ids of the running nodes (for CPU accounting). */
  pids(): number[];
  /** SIGKILL: the node dies with whatever it had not flushed. Resolves once the JVM is gone. */
  kill(node: number): Promise<void>;
  /** Starts a stopped or killed node on its data and ports; resolves once metadata lists it again. */
  restart(node: number): Promise<void>;
  /** Stops every node (SIGTERM, SIGKILL after a grace period) and removes their data. */
  stop(): Promise<void>;
}

interface Node {
  readonly id: number;
  readonly port: number;
  readonly controllerPort: number;
  readonly dir: string;
  readonly properties: string;
  child?: ChildProcess;
  exited?: Promise<void>;
}

/** Every JVM started here, killed if the test process exits without stopping them. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A node outlives no test process, even one killed before it could stop its nodes. */
function spawnJava(args: string[]): ChildProcess {
  return spawn(...dieWithParent('java', args), { stdio: ['ignore', 'ignore', 'ignore'] });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Broker settings: replication across the quorum with two in sync for every topic, the
 * transaction log and the offsets topic included (one of each on a single node); small internal
 * topics so the first group join and transaction are quick; no auto-created topics.
 */
function brokerConfig(
  node: Node,
  nodes: readonly Node[],
  extra: Readonly<Record<string, string>>,
  advertisedHost: string,
) {
  const replicas = String(nodes.length);
  const minIsr = String(Math.min(2, nodes.length));
  const settings: Record<string, string> = {
    'process.roles': 'broker,controller',
    'node.id': String(node.id),
    'controller.quorum.voters': nodes.map((n) => `${n.id}@127.0.0.1:${n.controllerPort}`).join(','),
    listeners: `PLAINTEXT://127.0.0.1:${node.port},CONTROLLER://127.0.0.1:${node.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://${advertisedHost}:${node.port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': path.join(node.dir, 'data'),
    'default.replication.factor': replicas,
    'min.insync.replicas': minIsr,
    'offsets.topic.replication.factor': replicas,
    'offsets.topic.num.partitions': '10',
    'transaction.state.log.replication.factor': replicas,
    'transaction.state.log.min.isr': minIsr,
    'transaction.state.log.num.partitions': '10',
    'share.coordinator.state.topic.replication.factor': replicas,
    'share.coordinator.state.topic.min.isr': minIsr,
    'group.initial.rebalance.delay.ms': '0',
    'auto.create.topics.enable': 'false',
    'num.network.threads': '2',
    'num.io.threads': '2',
    'num.recovery.threads.per.data.dir': '1',
    'log.cleaner.threads': '1',
    ...extra,
  };
  return Object.entries(settings)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
}

function java(lib: string, mainClass: string, args: string[], jvm: string[] = []): string[] {
  return [...jvm, '-cp', path.join(lib, '*'), mainClass, ...args];
}

/**
 * Formats and starts a KRaft quorum of real Kafka nodes (the pinned version, fetched from Maven
 * Central if needed). Resolves once every node is listed in the cluster's metadata.
 */
export async function startKafkaNodes(options: KafkaNodesOptions = {}): Promise<KafkaNodes> {
  const count = options.nodes ?? 3;
  const heapMb = options.heapMb ?? 384;
  const lib = kafkaJars();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kes-kafka-'));
  const nodes: Node[] = [];
  for (let id = 1; id <= count; id++) {
    const dir = path.join(root, `node-${id}`);
    fs.mkdirSync(dir);
    nodes.push({
      id,
      port: await freePort(),
      controllerPort: await freePort(),
      dir,
      properties: path.join(dir, 'server.properties'),
    });
  }
  // A cluster id is a Kafka Uuid: 16 random bytes in URL-safe base64, and, as Kafka's own
  // Uuid.randomUuid() makes sure, not starting with '-' (the format command would take it for an option).
  let clusterId: string;
  do clusterId = randomBytes(16).toString('base64url');
  while (clusterId.startsWith('-'));
  const formats = await Promise.all(
    nodes.map((node) => {
      fs.writeFileSync(
        node.properties,
        brokerConfig(node, nodes, options.config ?? {}, options.advertisedHost ?? '127.0.0.1'),
      );
      return run(
        'java',
        java(
          lib,
          'kafka.tools.StorageTool',
          ['format', '-t', clusterId, '-c', node.properties],
          ['-Xmx128m', '-XX:TieredStopAtLevel=1', '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn'],
        ),
      );
    }),
  );
  const failed = formats.findIndex((f) => f.code !== 0);
  if (failed >= 0) {
    fs.rmSync(root, { recursive: true, force: true });
    throw new Error(
      `formatting Kafka node ${failed + 1} failed:\n${formats[failed]!.stdout}${formats[failed]!.stderr}`,
    );
  }

  const logFile = (node: Node) => path.join(node.dir, 'server.log');
  const tail = (node: Node) => {
    const text = fs.existsSync(logFile(node)) ? fs.readFileSync(logFile(node), 'utf8') : '';
    return text.split('\n').slice(-30).join('\n');
  };
  const launch = (node: Node) => {
    const child = spawnJava(
      java(
        lib,
        'kafka.Kafka',
        [node.properties],
        [
          `-Xmx${heapMb}m`,
          `-Xms${Math.min(128, heapMb)}m`,
          '-XX:+UseSerialGC',
          '-Djava.awt.headless=true',
          `-Dorg.slf4j.simpleLogger.logFile=${logFile(node)}`,
          `-Dorg.slf4j.simpleLogger.defaultLogLevel=${process.env.KES_KAFKA_LOG_LEVEL ?? 'warn'}`,
          '-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info',
          '-Dorg.slf4j.simpleLogger.showDateTime=true',
        ],
      ),
    );
    running.add(child);
    node.child = child;
    node.exited = new Promise((resolve) =>
      child.once('exit', () => {
        running.delete(child);
        resolve();
      }),
    );
  };
  const nodeAt = (index: number) => {
    const node = nodes[index];
    if (!node) throw new Error(`no Kafka node ${index}; nodes are 0..${count - 1}`);
    return node;
  };
  const isRunning = (node: Node) =>
    node.child !== undefined && node.child.exitCode === null && node.child.signalCode === null;
  const bootstrap = nodes.map((n) => `127.0.0.1:${n.port}`).join(',');

  /**
   * Waits until metadata lists the nodes wanted, asked of those nodes themselves (a node killed a
   * moment ago stays listed by the others until its broker session expires).
   */
  async function untilListed(wanted: readonly Node[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const kafka = new Kafka({
      clientId: 'kes-test-kafka-nodes',
      brokers: wanted.map((n) => `127.0.0.1:${n.port}`),
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
      connectionTimeout: 2000,
    });
    for (;;) {
      const dead = wanted.find((n) => !isRunning(n));
      if (dead) throw new Error(`Kafka node ${dead.id} exited while starting:\n${tail(dead)}`);
      const admin = kafka.admin();
      try {
        await admin.connect();
        const { brokers } = await admin.describeCluster();
        if (wanted.every((n) => brokers.some((b) => b.nodeId === n.id))) return;
      } catch {
        // not up yet
      } finally {
        await admin.disconnect().catch(() => {});
      }
      if (Date.now() > deadline) {
        throw new Error(
          `Kafka nodes ${wanted.map((n) => n.id).join(', ')} not listed within ${timeoutMs} ms:\n${wanted.map(tail).join('\n')}`,
        );
      }
      await sleep(250);
    }
  }

  async function stopNode(node: Node, signal: NodeJS.Signals, graceMs: number): Promise<void> {
    if (!isRunning(node)) return;
    node.child!.kill(signal);
    const killed = await Promise.race([node.exited!.then(() => true), sleep(graceMs).then(() => false)]);
    if (!killed) {
      node.child!.kill('SIGKILL');
      await node.exited;
    }
  }

  for (const node of nodes) launch(node);
  try {
    await untilListed(nodes, options.startTimeoutMs ?? 120_000);
  } catch (err) {
    await Promise.all(nodes.map((n) => stopNode(n, 'SIGKILL', 0)));
    fs.rmSync(root, { recursive: true, force: true });
    throw err;
  }

  return {
    version: KAFKA_VERSION,
    count,
    bootstrap,
    address: (index) => `127.0.0.1:${nodeAt(index).port}`,
    logFile: (index) => logFile(nodeAt(index)),
    isRunning: (index) => isRunning(nodeAt(index)),
    pids: () => nodes.filter(isRunning).map((n) => n.child!.pid!),
    kill: (index) => stopNode(nodeAt(index), 'SIGKILL', 0),
    async restart(index) {
      const node = nodeAt(index);
      if (isRunning(node)) throw new Error(`Kafka node ${index} is running`);
      launch(node);
      await untilListed([node], options.startTimeoutMs ?? 120_000);
    },
    async stop() {
      // Brokers first, all at once; a controlled shutdown that waits on a quorum already gone is
      // cut short after the grace period.
      await Promise.all(nodes.map((n) => stopNode(n, 'SIGTERM', 20_000)));
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
