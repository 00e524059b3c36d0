import type { Kafka } from 'kafkajs';
import type { AggregateIds } from '../query/aggregateIds.js';
import type { DeadLetterOperations } from '../ops/deadLetterOperations.js';
import type { SagaQueries } from '../query/sagaQueries.js';
import type { TraceQueries } from '../query/traceQueries.js';
import type { RegistryHttp } from '../serde/registryHttp.js';
import type { Serde } from '../serde/serde.js';

/** What the console's operations routes run on (trace, sagas, dead letters, schemas, live tail). */
export interface OperationsContext {
  readonly traces: TraceQueries;
  /** The ids of a domain's aggregates by prefix (the console's aggregate search). */
  readonly aggregateIds: AggregateIds;
  readonly sagas: SagaQueries;
  readonly deadLetters: DeadLetterOperations;
  /** The instance's schema registry, with its URL and auth. */
  readonly registry: RegistryHttp;
  /** The instance's Kafka client: each live tail opens a consumer of its own on it. */
  readonly kafka: Kafka;
  readonly serde: Pick<Serde, 'decode'>;
  /** The topics of the topology (the ones a tail may follow). */
  readonly topics: readonly string[];
}
