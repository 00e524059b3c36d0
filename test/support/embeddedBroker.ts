import { Kafka, logLevel } from 'kafkajs';
import pino from 'pino';
import { type BrokerHandle, type BrokerOptions, startBroker } from '../../src/broker/index.js';
import { tempDir } from './tempDir.js';

export interface TestBroker {
  broker: BrokerHandle;
  dataDir: string;
  /** A KafkaJS client for this broker; `retries` defaults to 8. */
  kafka: (clientId?: string, retries?: number) => Kafka;
  /** Stops the broker and starts a new one on the same data directory and port. */
  restart: () => Promise<BrokerHandle>;
  stop: () => Promise<void>;
}

/**
 * An embedded broker on a free port and a fresh data directory, with settings that make group
 * tests quick (no initial rebalance delay, short minimum session timeout).
 */
export async function startTestBroker(options: BrokerOptions = {}): Promise<TestBroker> {
  const dir = tempDir('kes-broker-');
  const settings: BrokerOptions = {
    port: 0,
    dataDir: dir.path,
    groupInitialRebalanceDelayMs: 0,
    groupMinSessionTimeoutMs: 1000,
    logger: pino({ level: process.env.KES_TEST_LOG_LEVEL ?? 'silent' }),
    ...options,
  };
  let broker = await startBroker(settings);
  return {
    get broker() {
      return broker;
    },
    dataDir: dir.path,
    kafka: (clientId = 'kes-test', retries = 8) =>
      new Kafka({ clientId, brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries } }),
    async restart() {
      await broker.close();
      broker = await startBroker({ ...settings, port: broker.port });
      return broker;
    },
    async stop() {
      await broker.close();
      dir.remove();
    },
  };
}
