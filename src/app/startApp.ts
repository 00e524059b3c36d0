import { hostname } from 'node:os';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Kafka, type KafkaConfig, logLevel } from 'kafkajs';
import type { Logger } from 'pino';
import { commandHandler } from '../commands/commandHandler.js';
import { CommandSender } from '../commands/commandSender.js';
import { deciders } from '../domain/domainCatalog.js';
import { orderFulfilment } from '../domain/fulfilment/orderFulfilment.js';
import { invoicing } from '../policies/invoicing.js';
import { sagaProcessor } from '../policies/sagaProcessor.js';
import { stockReplies } from '../policies/stockReplies.js';
import type { Processor } from '../processor/processor.js';
import { type StreamsHandle, startStreams } from '../processor/startStreams.js';
import type { ProcessingGuarantee } from '../processor/streamTask.js';
import { Serde } from '../serde/serde.js';
import { applyTopology } from '../topology/applyTopology.js';
import type { TopologySpec } from '../topology/topologySpec.js';
import { readSideProcessors } from '../views/readSide.js';
import { topology as referenceTopology } from '../../topology/index.js';

export interface AppOptions {
  readonly brokers: readonly string[];
  readonly registryUrl: string;
  /** Local state (stores) of this instance. */
  readonly dataDir: string;
  /** Names this instance (its restore group); default: host name and process id. */
  readonly instanceId?: string;
  /** This instance's HTTP URL, advertised to the group for interactive queries. */
  readonly endpoint?: string | null;
  readonly guarantee?: ProcessingGuarantee;
  /** Where invoices are published (their URLs). */
  readonly invoiceBaseUrl?: string;
  readonly topology?: TopologySpec;
  /** Extra KafkaJS settings (SSL, SASL...). */
  readonly kafka?: Omit<KafkaConfig, 'brokers'>;
  readonly logger: Logger;
  readonly onProcessed?: Parameters<typeof startStreams>[0]['onProcessed'];
}

export interface AppHandle {
  readonly kafka: Kafka;
  readonly serde: Serde;
  readonly sender: CommandSender;
  readonly streams: StreamsHandle;
  readonly instanceId: string;
  close(): Promise<void>;
}

export const DEFAULT_INVOICE_BASE_URL = 'https://invoices.kes.example/invoices';

/**
 * One kes application instance: applies the topology (creating missing topics), registers the
 * schemas it needs, and runs every processor of the topology — the command handlers of stock,
 * orders and invoices, the stock replies repartitioner, the order fulfilment saga and the
 * invoicing policy — exactly once by default. Instances with the same topology share the work
 * through their consumer groups.
 */
export async function startApp(options: AppOptions): Promise<AppHandle> {
  const { logger } = options;
  const topology = options.topology ?? referenceTopology;
  const instanceId = options.instanceId ?? `${hostname()}-${process.pid}`;
  const kafka = new Kafka({
    clientId: `kes-${instanceId}`,
    brokers: [...options.brokers],
    logLevel: logLevel.NOTHING,
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
    registry: new SchemaRegistry({ host: options.registryUrl, clientId: `kes-${instanceId}` }),
  });
  await serde.registerAll();
  const sender = new CommandSender(serde, Object.values(deciders));
  const processors = new Map<string, Processor>(
    [
      commandHandler({ name: 'stock-commands', decider: deciders.stock, serde }),
      commandHandler({ name: 'orders-commands', decider: deciders.orders, serde }),
      commandHandler({ name: 'invoices-commands', decider: deciders.invoices, serde }),
      stockReplies(serde),
      sagaProcessor(orderFulfilment, { serde, sender }),
      invoicing({ serde, sender, invoiceBaseUrl: options.invoiceBaseUrl ?? DEFAULT_INVOICE_BASE_URL }),
      ...readSideProcessors(serde, topology),
    ].map((p) => [p.name, p]),
  );
  const streams = await startStreams({
    kafka,
    topology,
    processors,
    dataDir: options.dataDir,
    instanceId,
    endpoint: options.endpoint ?? null,
    guarantee: options.guarantee ?? 'exactly_once',
    logger,
    onProcessed: options.onProcessed,
  });
  logger.info({ instanceId, processors: [...processors.keys()] }, 'kes app started');
  return {
    kafka,
    serde,
    sender,
    streams,
    instanceId,
    close: () => streams.close(),
  };
}
