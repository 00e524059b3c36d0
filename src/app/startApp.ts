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
import { deciders } from '../domain/domainCatalog.js';
import type { Processor } from '../processor/processor.js';
import { ApplicationGroup } from '../processor/applicationGroup.js';
import { type StreamsHandle, startStreams, waitUntil } from '../processor/startStreams.js';
import type { ProcessingGuarantee } from '../processor/streamTask.js';
import { Serde } from '../serde/serde.js';
import { applyTopology } from '../topology/applyTopology.js';
import type { TopologySpec } from '../topology/topologySpec.js';
import { CommandResultWaiter } from '../commands/commandResultWaiter.js';
import type { ApiContext, ApiLimits } from '../http/apiContext.js';
import { AppMetrics } from '../http/appMetrics.js';
import { buildApi } from '../http/buildApi.js';
import { serviceAuthorization } from '../http/serviceToken.js';
import { OwnerDirectory } from '../query/ownerDirectory.js';
import { PartitionStores } from '../query/partitionStores.js';
import { ViewQueries } from '../query/viewQueries.js';
import { ApiError } from '../http/apiErrors.js';
import { EVENT_HISTORY } from '../views/readSide.js';
import { ViewControl } from '../views/viewControl.js';
import { ViewRuntime, type ViewRuntimeOptions } from '../views/viewRuntime.js';
import { application as referenceApplication } from '../../topology/application.js';
import type { IdempotencyWindow, KesApplication } from './kesApplication.js';

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
  /** Where invoices are published (their URLs). */
  readonly invoiceBaseUrl?: string;
  /** How long, and how many, command results are remembered (default: 24 hours, no count limit). */
  readonly idempotency?: IdempotencyWindow;
  /** What to run: topology, processors, views, public commands (default: topology/application.ts). */
  readonly application?: KesApplication;
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
  /** Require HS256 bearer tokens signed with this secret (KES_JWT_SECRET; README: Security). */
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

export const DEFAULT_INVOICE_BASE_URL = 'https://invoices.kes.example/invoices';

/**
 * One kes application instance: applies the topology (creating missing topics), registers the
 * schemas it needs, and runs every processor of the application — command handlers, sagas,
 * policies, views — exactly once by default. Instances with the same topology share the work
 * through their consumer groups.
 */
export async function startApp(options: AppOptions): Promise<AppHandle> {
  const { logger } = options;
  const application = options.application ?? referenceApplication;
  const topology = options.topology ?? application.topology;
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
  const admin = kafka.admin();
  await admin.connect();
  try {
    const plan = await applyTopology(admin, topology);
    if (plan.refused.length > 0)
      throw new Error(`the cluster does not match the topology:\n${plan.refused.join('\n')}`);
    if (plan.create.length > 0) logger.info({ created: plan.create.map((c) => c.topic) }, 'created topics');
  } finally {
    await admin.disconnect();
  }
  const serde = new Serde({
    registry: new SchemaRegistry({
      host: options.registryUrl,
      clientId: `kes-${instanceId}`,
      auth: options.registryAuth,
    }),
  });
  await serde.registerAll();
  const sender = new CommandSender(serde, Object.values(deciders));
  const processors = new Map<string, Processor>(
    application
      .processors({
        serde,
        sender,
        invoiceBaseUrl: options.invoiceBaseUrl ?? DEFAULT_INVOICE_BASE_URL,
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
  // The HTTP API starts first (its URL is advertised to the groups) and reads the streams later.
  const started: { streams?: StreamsHandle; views?: ViewRuntime } = {};
  const http = options.http ? await startHttp(options.http) : undefined;
  const endpoint = http?.url ?? options.endpoint ?? null;
  // One group for every processor and view of the application: an instance joining or leaving is
  // one rebalance. Joined once everything below has been added to it.
  const group = new ApplicationGroup({
    kafka,
    groupId: topology.applicationId,
    endpoint,
    logger,
    onRebalance: metrics.onRebalance,
  });
  const streamsOptions = {
    dataDir: options.dataDir,
    instanceId,
    endpoint,
    group,
    guarantee: options.guarantee ?? 'exactly_once',
    logger,
    onProcessed: (e: {
      processor: string;
      partition: number;
      records: number;
      failed: number;
      wrote: boolean;
      durationMs: number;
    }) => {
      metrics.onProcessed(e);
      options.onProcessed?.(e);
    },
    onRestore: metrics.onRestore,
  } as const;
  const startViews = async () => {
    const control = await ViewControl.start({
      kafka,
      groupId: `${topology.applicationId}-${instanceId}-views`,
    });
    try {
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
      return { control, runtime };
    } catch (err) {
      await control.stop().catch(() => undefined);
      throw err;
    }
  };
  // The processors and the views start at the same time; then the instance joins the group.
  const [fixedStart, viewsStart] = await Promise.allSettled([
    startStreams({ ...streamsOptions, kafka, topology, processors }),
    startViews(),
  ]);
  const failures: unknown[] = [fixedStart, viewsStart].flatMap((s) =>
    s.status === 'rejected' ? [s.reason] : [],
  );
  if (failures.length === 0) await group.start().catch((err: unknown) => failures.push(err));
  if (failures.length > 0) {
    await group.stop().catch(() => undefined);
    if (fixedStart.status === 'fulfilled') await fixedStart.value.close().catch(() => undefined);
    if (viewsStart.status === 'fulfilled') {
      await viewsStart.value.runtime.close().catch(() => undefined);
      await viewsStart.value.control.stop().catch(() => undefined);
    }
    await http?.close().catch(() => undefined);
    throw failures[0];
  }
  if (fixedStart.status !== 'fulfilled' || viewsStart.status !== 'fulfilled') throw new Error('unreachable');
  const fixed = fixedStart.value;
  const { control, runtime: viewRuntime } = viewsStart.value;
  started.views = viewRuntime;
  const isReady = () => fixed.isReady() && viewRuntime.isReady();
  const streams: StreamsHandle = {
    get runners() {
      return [...fixed.runners, ...viewRuntime.runners()];
    },
    isReady,
    whenReady: (timeoutMs) => waitUntil(isReady, timeoutMs),
    async close() {
      await group.stop();
      await viewRuntime.close();
      await control.stop();
      await fixed.close();
    },
  };
  started.streams = streams;
  if (http) await http.run(streams);
  logger.info(
    { instanceId, processors: streams.runners.map((r) => r.name), url: http?.url },
    'kes app started',
  );
  return {
    kafka,
    serde,
    sender,
    streams,
    views: viewRuntime,
    instanceId,
    url: http?.url,
    async close() {
      await http?.close();
      await streams.close();
    },
  };

  /** Listens first (its URL is advertised to the groups), then serves once the processors run. */
  async function startHttp(http: HttpOptions) {
    const admin = kafka.admin();
    await admin.connect();
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
      }),
      rebuild: async (name) => {
        if (!started.views) throw new ApiError('NOT_READY', 'kes is starting');
        return started.views.rebuild(name);
      },
      viewState: (name) => {
        if (!started.views) throw new ApiError('NOT_READY', 'kes is starting');
        return started.views.state(name);
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
    metrics.measureLag(admin, () => started.streams?.runners ?? []);
    // The result reader joins its group while the processors join theirs.
    const waiting = CommandResultWaiter.start({
      kafka,
      serde,
      groupId: `${topology.applicationId}-${instanceId}-results`,
    });
    waiting.catch(() => undefined); // awaited in run()
    let waiter: CommandResultWaiter | undefined;
    let producer: IdempotentSender | undefined;
    return {
      url,
      async run(running: StreamsHandle) {
        waiter = await waiting;
        producer = new IdempotentSender(() => kafka.producer({ idempotent: true, maxInFlightRequests: 1 }));
        await producer.connect();
        context.running = { commands: new BatchingSender(producer), waiter, streams: running };
      },
      async close() {
        // Drain: not ready any more, still serving; then stop listening, answering what is in
        // flight (commands get their results: the processors stop after the server).
        context.draining = true;
        if (http.drainMs) await new Promise((r) => setTimeout(r, http.drainMs));
        await api.close();
        await stores.close();
        await (waiter ?? (await waiting.catch(() => undefined)))?.stop();
        await producer?.disconnect();
        await admin.disconnect();
      },
    };
  }
}
