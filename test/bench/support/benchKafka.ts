import * as path from 'node:path';
import { KAFKA_VERSION } from '../../kafka/kafkaJars.js';
import { startKafkaNodes } from '../../kafka/kafkaNodes.js';
import { spawnBroker } from '../../support/brokerProcess.js';

/**
 * The Kafka a bench runs on, chosen with KES_BENCH_KAFKA:
 * - `embedded` (default): kes's embedded broker in its own process;
 * - `kafka`: one real Apache Kafka node (the pinned version), the like-for-like reference;
 * - `kafka3`: three real nodes, every topic replicated three times with two in sync (production's shape).
 */
export type BenchKafkaKind = 'embedded' | 'kafka' | 'kafka3';

export interface BenchKafka {
  /** What it is, for the bench's JSON line: `embedded` or `kafka-4.4.0x3`. */
  readonly label: string;
  readonly bootstrap: string;
  readonly brokers: string[];
  /** The brokers' process ids. */
  pids(): number[];
  stop(): Promise<void>;
}

export function benchKafkaKind(): BenchKafkaKind {
  const kind = process.env.KES_BENCH_KAFKA ?? 'embedded';
  if (kind === 'embedded' || kind === 'kafka' || kind === 'kafka3') return kind;
  throw new Error(`KES_BENCH_KAFKA must be embedded, kafka or kafka3, not ${kind}`);
}

/**
 * Starts the bench's Kafka in `dir` (the embedded broker's data; real nodes keep theirs in a folder
 * of their own). KES_BENCH_BROKER_PROFILE_DIR=<dir> profiles the embedded broker.
 */
export async function startBenchKafka(
  dir: string,
  {
    groupDelay = false,
  }: {
    /**
     * Keep the brokers' default group.initial.rebalance.delay.ms (3 s), as users run them; by
     * default a bench turns it off (a group's first join then waits for nothing).
     */
    groupDelay?: boolean;
  } = {},
): Promise<BenchKafka> {
  const kind = benchKafkaKind();
  if (kind === 'embedded') {
    const profileDir = process.env.KES_BENCH_BROKER_PROFILE_DIR;
    const broker = await spawnBroker(
      path.join(dir, 'broker'),
      0,
      groupDelay ? [] : ['--initial-rebalance-delay-ms', '0'],
      profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    );
    return {
      label: 'embedded',
      bootstrap: broker.bootstrap,
      brokers: [broker.bootstrap],
      pids: () => [broker.child.pid!],
      stop: async () => void (await broker.kill('SIGTERM')),
    };
  }
  const count = kind === 'kafka3' ? 3 : 1;
  const nodes = await startKafkaNodes({
    nodes: count,
    heapMb: 768,
    ...(groupDelay ? { config: { 'group.initial.rebalance.delay.ms': '3000' } } : {}),
  });
  return {
    label: `kafka-${KAFKA_VERSION}x${count}`,
    bootstrap: nodes.bootstrap,
    brokers: nodes.bootstrap.split(','),
    pids: () => nodes.pids(),
    stop: () => nodes.stop(),
  };
}
