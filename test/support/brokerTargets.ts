import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe } from 'vitest';
import { startKafkaNodes } from '../kafka/kafkaNodes.js';
import { startTestBroker, type TestBroker } from './embeddedBroker.js';

export type BrokerTargetName = 'embedded' | 'kafka';

/**
 * A broker a conformance suite runs against: the embedded broker, or one real Apache Kafka node
 * (the version test/kafka/pom.xml pins). Both are node 1 on 127.0.0.1.
 */
export interface BrokerTarget {
  readonly name: BrokerTargetName;
  /** host:port */
  readonly bootstrap: string;
  readonly port: number;
  /** A KafkaJS client for this broker; `retries` defaults to 8. */
  kafka(clientId?: string, retries?: number): Kafka;
  stop(): Promise<void>;
}

/**
 * Broker settings both targets are given the same way. Everything else is each broker's default,
 * except what makes tests quick on both (no initial rebalance delay, no auto-created topics).
 */
export interface TargetSettings {
  /** num.partitions. Default 1. */
  readonly numPartitions?: number;
  /** How often transactions past their timeout are aborted. Default 500 ms. */
  readonly transactionAbortIntervalMs?: number;
  /** How often the log cleaner looks for logs to compact (log.cleaner.backoff.ms). Default 15 s. */
  readonly cleanerIntervalMs?: number;
}

const ALL: readonly BrokerTargetName[] = ['embedded', 'kafka'];

/**
 * The targets to run: both, unless KES_BROKER_TARGETS names a subset (for a quick local run
 * against one of them).
 */
export function brokerTargetNames(): readonly BrokerTargetName[] {
  const wanted = process.env.KES_BROKER_TARGETS;
  if (!wanted) return ALL;
  const names = wanted.split(',').map((n) => n.trim());
  for (const n of names) {
    if (!ALL.includes(n as BrokerTargetName)) throw new Error(`KES_BROKER_TARGETS: unknown target ${n}`);
  }
  return names as BrokerTargetName[];
}

const client =
  (bootstrap: string) =>
  (clientId = 'kes-test', retries = 8) =>
    new Kafka({ clientId, brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries } });

export async function startBrokerTarget(
  name: BrokerTargetName,
  settings: TargetSettings = {},
): Promise<BrokerTarget> {
  const numPartitions = settings.numPartitions ?? 1;
  const abortIntervalMs = settings.transactionAbortIntervalMs ?? 500;
  const cleanerIntervalMs = settings.cleanerIntervalMs ?? 15_000;
  if (name === 'embedded') {
    const t: TestBroker = await startTestBroker({
      numPartitions,
      autoCreateTopics: false,
      // Kafka's default, which the real node keeps: both refuse shorter sessions alike.
      groupMinSessionTimeoutMs: 6000,
      transactionAbortIntervalMs: abortIntervalMs,
      cleanerIntervalMs,
    });
    return {
      name,
      bootstrap: t.broker.bootstrap,
      port: t.broker.port,
      kafka: client(t.broker.bootstrap),
      stop: () => t.stop(),
    };
  }
  const nodes = await startKafkaNodes({
    nodes: 1,
    config: {
      'num.partitions': String(numPartitions),
      'transaction.abort.timed.out.transaction.cleanup.interval.ms': String(abortIntervalMs),
      'log.cleaner.backoff.ms': String(cleanerIntervalMs),
    },
  });
  const bootstrap = nodes.address(0);
  return {
    name,
    bootstrap,
    port: Number(bootstrap.split(':')[1]),
    kafka: client(bootstrap),
    stop: () => nodes.stop(),
  };
}

/**
 * Runs one suite body against every target, with the same assertions: the body gets a handle
 * that stands for the target of the block it runs in. Each block starts its broker before its
 * tests and stops it after them, so a file holds one real node at a time.
 */
export function forEachBroker(
  title: string,
  settings: TargetSettings,
  body: (target: BrokerTarget) => void,
): void {
  for (const name of brokerTargetNames()) {
    describe(`${title} [${name}]`, () => {
      let current: BrokerTarget | undefined;
      const started = () => {
        if (!current) throw new Error(`the ${name} broker is not running`);
        return current;
      };
      beforeAll(async () => {
        current = await startBrokerTarget(name, settings);
      }, 180_000);
      afterAll(async () => {
        await current?.stop();
        current = undefined;
      });
      body({
        name,
        get bootstrap() {
          return started().bootstrap;
        },
        get port() {
          return started().port;
        },
        kafka: (clientId, retries) => started().kafka(clientId, retries),
        stop: () => started().stop(),
      });
    });
  }
}
