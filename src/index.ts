/**
 * kes: event sourcing and CQRS on Kafka. The public API of the package `kes`: define an
 * application (its aggregates, sagas, policies and views), run it (startApp, or the command line
 * through runCli), and the types its definitions are written with. `kes/testing` has the test kit,
 * `kes/broker` and `kes/registry` the embedded broker and schema registry.
 */

import './kafka/kafkaJsFixes.js';

// Definitions: aggregates as deciders, sagas, records and rejections.
export {
  accept,
  checkDomainName,
  type CommandContext,
  type Decider,
  type Decision,
  type DomainName,
  type DomainRecord,
  isRejectionCode,
  type ListsEvery,
  type Reaction,
  recordName,
  reject,
  type RejectionCatalog,
  type RelatedId,
  replay,
  type RoutedCommand,
  type Saga,
} from './domain/index.js';
export {
  type CatalogEntry,
  type CodeForm,
  defineErrorCatalog,
  type ErrorCatalogOptions,
} from './errors/errorCatalog.js';
export { TransientError } from './processor/transientError.js';

// Views.
export type { ViewDefinition, ViewEvent } from './views/viewEvent.js';
export { compositeKey, compositeRange, decodeCompositeKey } from './state/compositeKey.js';

// Schema evolution.
export { type RecordValue, type Upcaster, type UpcasterEntry, Upcasters } from './serde/upcasters.js';
export { applicationCatalog, Serde, schemaTopics } from './serde/serde.js';
export { loadSchemaCatalog } from './serde/loadSchemaCatalog.js';
export type { SchemaCatalog } from './serde/schemaCatalog.js';

// The application: built from its definitions, its topology derived from them.
export {
  ApplicationBuilder,
  type AggregateOptions,
  type ApplicationSettings,
  type PolicyOptions,
  type Rekeyed,
  type SagaOptions,
  type ViewOptions,
} from './app/applicationBuilder.js';
export type {
  AccessRules,
  ApplicationContext,
  IdempotencyWindow,
  KesApplication,
} from './app/kesApplication.js';
export type { OwnedAggregate } from './http/accessPolicy.js';
export type { QueryableView, ReadView } from './views/readSide.js';

// Policies written as processors: events in, commands out.
export { decodeEvent, sendCommands } from './policies/sagaProcessor.js';
export type {
  AfterBuilder,
  Processor,
  ProcessorContext,
  PunctuationContext,
  Punctuator,
  StoreAccess,
} from './processor/processor.js';
export type { Forwarded, KesRecord, OutputRecord, RecordPosition } from './processor/kesRecord.js';
export type { CommandSender } from './commands/commandSender.js';

// Running it.
export { startApp, type AppHandle, type AppOptions, type HttpOptions } from './app/startApp.js';
export { runCli, type CliOptions } from './cli/runCli.js';
export {
  type CommandResult,
  type CommandStatus,
  type EventPosition,
  RESULT_CODES,
  type ResultCode,
} from './commands/commandResult.js';
export type { ApiLimits } from './http/apiContext.js';
export type { StreamsHandle } from './processor/startStreams.js';
export type { ProcessingGuarantee } from './processor/streamTask.js';
/** A pino logger as the runtime logs (KES_LOG_LEVEL), for startApp's `logger`. */
export { defaultLogger } from './broker/brokerOptions.js';
export type { ViewRuntime, ViewRuntimeOptions } from './views/viewRuntime.js';
export type {
  CleanupPolicy,
  ProcessorKind,
  ProcessorSpec,
  StoreSpec,
  TopicSpec,
  TopologySpec,
} from './topology/topologySpec.js';
export { describeTopology } from './topology/describeTopology.js';
