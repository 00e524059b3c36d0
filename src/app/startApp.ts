// First: KafkaJS must be loaded after kes's fixes to it are in place.
import { assertKafkaJsFixes } from '../kafka/kafkaJsFixes.js';
import { hostname } from 'node:os';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Kafka, type KafkaConfig, logLevel } from 'kafkajs';
import type { Logger } from 'pino';
import { CommandSender } from '../commands/commandSender.js';
import { kafkaLogCreator } from '../config/kafkaLogger.js';
import { BatchingSender } from '../kafka/batchingSender.js';
import { IdempotentSender } from '../kafka/idempotentSender.js';
import type { Processor } from '../processor/processor.js';
import { ApplicationGroup } from '../processor/applicationGroup.js';
import { partitionForKey } from '../processor/partitioner.js';
import {
  type StreamsHandle,
  type StreamsOptions,
  startStreams,
  waitUntil,
} from '../processor/startStreams.js';
import type { ProcessingGuarantee } from '../processor/streamTask.js';
import { Serde } from '../serde/serde.js';
import { applyTopology } from '../topology/applyTopology.js';
import { runtimeTopics } from '../topology/runtimeTopics.js';
import type { TopologySpec } from '../topology/topologySpec.js';
import { CommandResultWaiter } from '../commands/commandResultWaiter.js';
import type { ApiContext, ApiLimits, StartupState } from '../http/apiContext.js';
import { AppMetrics } from '../http/appMetrics.js';
import { buildApi } from '../http/buildApi.js';
import { serviceAuthorization } from '../http/serviceToken.js';
import { OwnerDirectory } from '../query/ownerDirectory.js';
import { PartitionStores } from '../query/partitionStores.js';
import { ViewQueries } from '../query/viewQueries.js';
import { SagaQueries } from '../query/sagaQueries.js';
import { AggregateIds } from '../query/aggregateIds.js';
import { TraceQueries } from '../query/traceQueries.js';
import { DeadLetterOperations } from '../ops/deadLetterOperations.js';
import { RegistryHttp } from '../serde/registryHttp.js';
import { ApiError } from '../http/apiErrors.js';
import { EVENT_HISTORY } from '../views/readSide.js';
import { ViewControl } from '../views/viewControl.js';
import { ViewRuntime, type ViewRuntimeOptions } from '../views/viewRuntime.js';
import type { IdempotencyWindow, KesApplication } from './kesApplication.js';
import { StartupWait } from './startupWait.js';

export interface AppOptions {
  readonly brokers: readonly string[];
  readonly registryUrl: string;
  /** Basic auth of the schema registry client. */
  readonly registryAuth?: { readonly username: string; readonly password: string };
  /** Local state (stores) of this instance. */
  readonly dataDir: string;
  /** Names this instance (its restore group); default: host name and process id. */
  readonly instanceId?: string;
  /** This instance's HTTP URL, advertised to the group for interactive queries. */
  readonly endpoint?: string | null;
  readonly guarantee?: ProcessingGuarantee;
  /** The application's settings (ApplicationContext.env); default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** How long, and how many, command results are remembered (default: 24 hours, no count limit). */
  readonly idempotency?: IdempotencyWindow;
  /** What to run: topology, processors, views, public commands (ApplicationBuilder builds one). */
  readonly application: KesApplication;
  /** The application's topology with other settings (e.g. fewer partitions in tests). */
  readonly topology?: TopologySpec;
  /** Extra KafkaJS settings (SSL, SASL...). */
  readonly kafka?: Omit<KafkaConfig, 'brokers'>;
  readonly logger: Logger;
  readonly onProcessed?: Parameters<typeof startStreams>[0]['onProcessed'];
  /** View generations: how long a replaced one lingers, how often a rebuild is checked. */
  readonly views?: Pick<ViewRuntimeOptions, 'retireAfterMs' | 'checkIntervalMs'>;
  /** Run only these processors of the topology (default: all). */
  readonly processors?: readonly string[];
  /** Serve the HTTP API (commands, views, aggregates, health, metrics). */
  readonly http?: HttpOptions;
  /**
   * How long a task may wait in a row for a failure that passes (a registry or broker out of
   * reach) before the instance gives up (KES_TASK_TIMEOUT_MS). Default 5 minutes.
   */
  readonly taskTimeoutMs?: number;
  /** A task waited longer than taskTimeoutMs. Default: log it and close the instance. */
  readonly onFatal?: (err: Error) => void;
  /** Aborts a start-up that waits for the broker or the registry (the instance is released). */
  readonly signal?: AbortSignal;
}

export interface HttpOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** The URL other instances reach this one at; default http://<host>:<port>. */
  readonly advertisedUrl?: string;
  readonly limits?: Partial<ApiLimits>;
  /**
   * On close, how long readiness answers 503 while requests are still served, so that a load
   * balancer stops sending before the server stops listening (KES_DRAIN_MS). Default 0.
   */
  readonly drainMs?: number;
  /** Require HS256 bearer tokens signed with this secret (KES_JWT_SECRET; docs/operations.md: Security). */
  readonly jwtSecret?: string;
}

export const DEFAULT_LIMITS: ApiLimits = {
  bodyLimit: 64 * 1024,
  commandTimeoutMs: 10_000,
  queryWaitMs: 10_000,
};

export interface AppHandle {
  readonly kafka: Kafka;
  readonly serde: Serde;
  readonly sender: CommandSender;
  readonly streams: StreamsHandle;
  /** The views' generations (rebuilds). */
  readonly views: ViewRuntime;
  readonly instanceId: string;
  /** The HTTP API's URL, when it serves one. */
  readonly url: string | undefined;
  close(): Promise<void>;
}
/**
 * One kes application instance: serves its HTTP API at once (live, not ready), waits for Kafka
 * and applies the topology (creating missing topics), waits for the schema registry and registers
 * the schemas it needs, and runs every processor of the application — command handlers, sagas,
 * policies, views — exactly once by default. Instances with the same topology share the work
 * through their consumer groups. A dependency out of reach is waited for with backoff (readiness
 * and the log say which); a start-up that fails for good releases everything it opened.
 */
export async function startApp(options: AppOptions): Promise<AppHandle> {
  const { logger } = options;
  const { application } = options;
  const topology = options.topology ?? application.topology;
  const ownTopics = runtimeTopics(topology.applicationId);
  const views = application.views;
  const instanceId = options.instanceId ?? `${hostname()}-${process.pid}`;
  assertKafkaJsFixes();
  const kafka = new Kafka({
    clientId: `kes-${instanceId}`,
    brokers: [...options.brokers],
    // KafkaJS's errors and warnings (most are retried) reach the log as warnings.
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(logger),
    // A lost broker's partitions get new leaders within seconds to tens of seconds (its session
    // expires, the controller elects): ten retries back off for up to about two minutes, as
    // Kafka's own producer waits (delivery.timeout.ms), where KafkaJS's five give up in ten seconds.
    retry: { retries: 10 },
    ...options.kafka,
  });
  const serde = Serde.forApplication(
    application,
    new SchemaRegistry({
      host: options.registryUrl,
      clientId: `kes-${instanceId}`,
      auth: options.registryAuth,
    }),
  );
  const sender = new CommandSender(serde, application.deciders);
  const processors = new Map<string, Processor>(
    application
      .processors({
        serde,
        sender,
        env: options.env ?? process.env,
        idempotency: options.idempotency ?? {},
      })
      .filter((p) => !options.processors || options.processors.includes(p.name))
      .map((p) => [p.name, p]),
  );
  // A view runs here if any of its processors is selected; the others are read where they run.
  const runsHere = (name: string) =>
    !options.processors || views.get(name)!.processors.some((p) => options.processors!.includes(p));
  for (const name of options.processors ?? []) {
    if (!processors.has(name) && ![...views.values()].some((v) => v.processors.includes(name))) {
      throw new Error(`no processor named ${name}`);
    }
  }
  const metrics = new AppMetrics();
  // What to release if start-up fails, last opened first.
  const opened: (() => Promise<unknown>)[] = [];
  const release = async () => {
    for (const close of opened.splice(0).reverse()) await close().catch(() => undefined);
  };
  // One admin client: the topology, then (with HTTP) the owners of partitions and the lag.
  const admin = kafka.admin();
  opened.push(() => admin.disconnect());
  let starting: StartupState = { step: 'starting' };
  const startup = new StartupWait(logger, options.signal, (state) => {
    starting = state;
    if (http) http.context.starting = state;
  });
  // The HTTP API listens first: live at once, ready once everything runs. Its URL is advertised
  // to the group.
  let http: Awaited<ReturnType<typeof startHttp>> | undefined;
  let handle: AppHandle | undefined;
  const started: { streams?: StreamsHandle; views?: ViewRuntime } = {};
  try {
    if (options.http) {
      http = await startHttp(options.http);
      opened.push(() => http!.close());
      http.context.starting = starting;
    }
    await startup.until('Kafka', 'applying the topology', async () => {
      await admin.connect();
      const plan = await applyTopology(admin, topology);
      if (plan.refused.length > 0)
        throw new Error(`the cluster does not match the topology:\n${plan.refused.join('\n')}`);
      if (plan.create.length > 0) logger.info({ created: plan.create.map((c) => c.topic) }, 'created topics');
    });
    if (!http) await admin.disconnect();
    await startup.until('the schema registry', 'registering the schemas', () => serde.registerAll());
    // Kafka lost meanwhile: what the attempt opened is released, and it is tried again.
    const { fixed, control, viewRuntime, group } = await startup.until(
      'Kafka',
      'starting the processors',
      async () => {
        const mark = opened.length;
        try {
          const endpoint = http?.url ?? options.endpoint ?? null;
          // One group for every processor and view of the application: an instance joining or
          // leaving is one rebalance. Joined once everything below has been added to it.
          const group = new ApplicationGroup({
            kafka,
            groupId: topology.applicationId,
            endpoint,
            logger,
            onRebalance: metrics.onRebalance,
          });
          opened.push(() => group.stop());
          const streamsOptions = {
            dataDir: options.dataDir,
            instanceId,
            endpoint,
            group,
            guarantee: options.guarantee ?? 'exactly_once',
            logger,
            taskTimeoutMs: options.taskTimeoutMs,
            onFatal: (err: Error) => {
              if (options.onFatal) return options.onFatal(err);
              logger.fatal({ err }, 'a task waited too long; the instance stops');
              void handle?.close().catch(() => undefined);
            },
            onProcessed: (e: Parameters<NonNullable<StreamsOptions['onProcessed']>>[0]) => {
              metrics.onProcessed(e);
              options.onProcessed?.(e);
            },
            onRestore: metrics.onRestore,
          } as const;
          const startViews = async () => {
            const control = await ViewControl.start({
              kafka,
              groupId: `${topology.applicationId}-${instanceId}-views`,
              topic: ownTopics.views,
            });
            opened.push(() => control.stop());
            const runtime = await ViewRuntime.start({
              kafka,
              topology,
              serde,
              views,
              runsHere,
              control,
              streams: streamsOptions,
              ...options.views,
            });
            opened.push(() => runtime.close());
            return { control, runtime };
          };
          const startFixed = async () => {
            const fixed = await startStreams({ ...streamsOptions, kafka, topology, processors });
            opened.push(() => fixed.close());
            return fixed;
          };
          // The processors and the views start at the same time; then the instance joins the group.
          const [fixedStart, viewsStart, httpStart] = await Promise.allSettled([
            startFixed(),
            startViews(),
            http?.connect(),
          ]);
          for (const s of [fixedStart, viewsStart, httpStart]) if (s.status === 'rejected') throw s.reason;
          const fixed = (fixedStart as PromiseFulfilledResult<StreamsHandle>).value;
          const { control, runtime: viewRuntime } = (
            viewsStart as PromiseFulfilledResult<{ control: ViewControl; runtime: ViewRuntime }>
          ).value;
          await group.start();
          return { fixed, control, viewRuntime, group };
        } catch (err) {
          for (const close of opened.splice(mark).reverse()) await close().catch(() => undefined);
          await http?.disconnect();
          throw err;
        }
      },
    );
    started.views = viewRuntime;
    const isReady = () => fixed.isReady() && viewRuntime.isReady();
    const streams: StreamsHandle = {
      get runners() {
        return [...fixed.runners, ...viewRuntime.runners()];
      },
      isReady,
      whenReady: (timeoutMs) => waitUntil(isReady, timeoutMs),
      async close() {
        // Each step said, so that a stop that does not finish shows where it is.
        logger.info('stopping: leaving the application group');
        await group.stop();
        logger.info('stopping: the views');
        await viewRuntime.close();
        await control.stop();
        logger.info('stopping: the processors');
        await fixed.close();
        logger.info('stopped');
      },
    };
    started.streams = streams;
    if (http) await http.run(streams);
    startup.step('restoring the stores');
    logger.info(
      { instanceId, processors: streams.runners.map((r) => r.name), url: http?.url },
      'kes app started',
    );
    opened.length = 0; // from here on, close() releases everything
    let closing: Promise<void> | undefined;
    handle = {
      kafka,
      serde,
      sender,
      streams,
      views: viewRuntime,
      instanceId,
      url: http?.url,
      close: () =>
        (closing ??= (async () => {
          await http?.close();
          await streams.close();
        })()),
    };
    return handle;
  } catch (err) {
    await release();
    throw err;
  }

  /** Listens at once (its URL is advertised to the groups); serves commands once the processors run. */
  async function startHttp(http: HttpOptions) {
    const host = http.host ?? '127.0.0.1';
    let self: string | null = http.advertisedUrl ?? null;
    const stores = new PartitionStores({
      runners: () => started.streams?.runners ?? [],
      applicationId: topology.applicationId,
      directory: new OwnerDirectory(admin, topology.applicationId),
      self: () => self,
      ...(http.jwtSecret !== undefined
        ? { authorization: serviceAuthorization(http.jwtSecret, instanceId) }
        : {}),
    });
    const context: ApiContext = {
      sender,
      publicCommands: application.publicCommands,
      access: application.access,
      stores,
      queries: new ViewQueries({
        stores,
        views: {
          names: () => [...views.keys()],
          indexName: (name) => views.get(name)?.index?.name,
          resolve: (name) => started.views?.resolve(name),
        },
        history: EVENT_HISTORY,
        topology,
        serde,
        deciders: application.deciders,
      }),
      rebuild: async (name) => {
        if (!started.views) throw new ApiError('NOT_READY', 'kes is starting');
        return started.views.rebuild(name);
      },
      viewState: (name) => {
        if (!started.views) throw new ApiError('NOT_READY', 'kes is starting');
        return started.views.state(name);
      },
      topology,
      views,
      deciders: application.deciders,
      admin,
      self: () => self,
      operations: {
        traces: new TraceQueries({ stores, history: EVENT_HISTORY, topology, serde }),
        aggregateIds: new AggregateIds({ stores, history: EVENT_HISTORY, topology }),
        sagas: new SagaQueries({ stores, topology }),
        deadLetters: new DeadLetterOperations(kafka, topology),
        registry: new RegistryHttp(options.registryUrl, fetch, options.registryAuth),
        kafka,
        serde,
        topics: topology.topics.map((t) => t.name),
      },
      metrics,
      logger: logger.child({ component: 'http' }),
      limits: { ...DEFAULT_LIMITS, ...http.limits },
      ...(http.jwtSecret !== undefined ? { jwtSecret: http.jwtSecret } : {}),
    };
    const api = await buildApi(context);
    await api.listen({ port: http.port, host });
    const address = api.server.address();
    const port = typeof address === 'object' && address ? address.port : http.port;
    self ??= `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    const url = self;
    logger.info({ url }, 'kes app listening; ready once started');
    metrics.measureLag(admin, () => started.streams?.runners ?? []);
    let waiter: CommandResultWaiter | undefined;
    let producer: IdempotentSender | undefined;
    return {
      url,
      context,
      /** The result reader and the command producer (the reader joins its group meanwhile). */
      async connect() {
        waiter = await CommandResultWaiter.start({
          kafka,
          serde,
          groupId: `${topology.applicationId}-${instanceId}-results`,
          topic: ownTopics.commandResults,
        });
        producer = new IdempotentSender(() => kafka.producer({ idempotent: true, maxInFlightRequests: 1 }));
        await producer.connect();
      },
      /** Stops the result reader and the command producer (a start-up attempt that failed). */
      async disconnect() {
        await waiter?.stop().catch(() => undefined);
        await producer?.disconnect().catch(() => undefined);
        waiter = undefined;
        producer = undefined;
      },
      async run(running: StreamsHandle) {
        const partitions = new Map(topology.topics.map((t) => [t.name, t.partitions]));
        const partitionOf = (topic: string, key: string) => {
          const count = partitions.get(topic);
          return count === undefined ? undefined : partitionForKey(key, count);
        };
        context.running = {
          commands: new BatchingSender(producer!, { partitionOf }),
          waiter: waiter!,
          streams: running,
        };
      },
      async close() {
        // Drain: not ready any more, still serving; then stop listening, answering what is in
        // flight (commands get their results: the processors stop after the server).
        context.draining = true;
        if (http.drainMs) await new Promise((r) => setTimeout(r, http.drainMs));
        logger.info('stopping: the HTTP API');
        // Requests in flight are answered; a connection still open after that (a client not
        // reading its answer, a live tail) does not hold the stop up for ever.
        // (A command's answer comes within its timeout: it is given that, and 5 s more.)
        const closeAfterMs = context.limits.commandTimeoutMs + 5000;
        const closing = api.close();
        const force = setTimeout(() => {
          logger.warn({ closeAfterMs }, 'stopping: closing the HTTP connections still open');
          api.server.closeAllConnections();
        }, closeAfterMs);
        await closing;
        clearTimeout(force);
        await stores.close();
        logger.info('stopping: the command result reader');
        await waiter?.stop();
        await producer?.disconnect();
        await admin.disconnect();
      },
    };
  }
}
