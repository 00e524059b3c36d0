import type { Logger } from 'pino';
import type { GroupCoordinator } from './group/groupCoordinator.js';
import type { LogManager } from './log/logManager.js';
import type { TransactionCoordinator } from './txn/transactionCoordinator.js';

export interface ApiRange {
  readonly apiKey: number;
  readonly minVersion: number;
  readonly maxVersion: number;
}

/** What handlers reach through their RequestContext: the broker's state and settings. */
export interface BrokerContext {
  readonly nodeId: number;
  readonly clusterId: string;
  /** The address clients are told to connect to (Metadata, FindCoordinator). */
  readonly advertisedHost: string;
  readonly advertisedPort: number;
  readonly autoCreateTopics: boolean;
  /** The broker's own settings under Kafka's names, for DescribeConfigs. */
  readonly brokerConfigs: Readonly<Record<string, string>>;
  readonly logs: LogManager;
  readonly groups: GroupCoordinator;
  readonly transactions: TransactionCoordinator;
  /** Every API the broker serves, with its version range: the ApiVersions answer. */
  readonly apis: readonly ApiRange[];
  readonly logger: Logger;
}
