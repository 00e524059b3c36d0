import type { BatchingSender } from '../kafka/batchingSender.js';
import type { Admin } from 'kafkajs';
import type { Logger } from 'pino';
import type { CommandResultWaiter } from '../commands/commandResultWaiter.js';
import type { CommandSender } from '../commands/commandSender.js';
import type { StreamsHandle } from '../processor/startStreams.js';
import type { PartitionStores } from '../query/partitionStores.js';
import type { ViewQueries } from '../query/viewQueries.js';
import type { ViewState } from '../views/viewControl.js';
import type { ReadView } from '../views/readSide.js';
import type { Decider } from '../domain/decider.js';
import type { TopologySpec } from '../topology/topologySpec.js';
import type { AccessRules } from './accessPolicy.js';
import type { AppMetrics } from './appMetrics.js';
import type { OperationsContext } from './operationsContext.js';

/** What the HTTP API runs on. The parts that need the processors are set once they run. */
export interface ApiContext {
  readonly sender: CommandSender;
  /** The commands clients may send (POST /commands/{type}); the others come from sagas and policies. */
  readonly publicCommands: readonly string[];
  readonly queries: ViewQueries;
  readonly stores: PartitionStores;
  readonly metrics: AppMetrics;
  readonly logger: Logger;
  readonly limits: ApiLimits;
  /** What the instance is doing while it starts, and what it waits for (readiness says it). */
  starting?: StartupState;
  /** Set when the instance is stopping: readiness answers 503 while requests are still served. */
  draining?: boolean;
  /** With a secret, the API requires HS256 bearer tokens signed with it (apiAuth.ts). */
  readonly jwtSecret?: string;
  /** What customers may call (the application's rules). */
  readonly access: AccessRules;
  /** Starts a rebuild of a view (blue/green). */
  readonly rebuild: (view: string) => Promise<ViewState>;
  /** A view's generations: serving, and being built. */
  readonly viewState: (view: string) => ViewState;
  /** The application's topology, views and deciders (the console's overview, overviewRoutes.ts). */
  readonly topology: TopologySpec;
  readonly views: ReadonlyMap<string, ReadView>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly deciders: readonly Decider<any, any, any>[];
  /** The instance's admin client: connected once start-up has reached Kafka (before `running`). */
  readonly admin: Admin;
  /** This instance's URL, once it listens. */
  readonly self: () => string | null;
  /** The console's operations: trace, sagas, dead letters, schemas, live tail. */
  readonly operations: OperationsContext;
  running?: {
    /** Writes HTTP commands to their topics. */
    readonly commands: Pick<BatchingSender, 'send'>;
    readonly waiter: CommandResultWaiter;
    readonly streams: StreamsHandle;
  };
}

export interface ApiLimits {
  /** Largest request body, bytes. */
  readonly bodyLimit: number;
  /** How long a command waits for its result before 202. */
  readonly commandTimeoutMs: number;
  /** How long a query waits for `after` and for an unavailable partition. */
  readonly queryWaitMs: number;
}

/** Where start-up is: the step under way and, when it waits for a dependency, which and why. */
export interface StartupState {
  readonly step: string;
  readonly waitingFor?: string;
  readonly error?: string;
  readonly since?: number;
}
