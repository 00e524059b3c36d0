import * as path from 'node:path';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Command } from 'commander';
import { defaultLogger } from '../broker/brokerOptions.js';
import { startBroker } from '../broker/index.js';
import { startRegistry } from '../registry/index.js';
import { Serde } from '../serde/index.js';
import { untilSignal } from './options.js';

/**
 * `kes start` (what `npm start` runs): the embedded default in one process. Today that is the
 * embedded broker on KES_BROKER_PORT (9092) with data under KES_DATA_DIR (./data), and the
 * embedded schema registry on KES_REGISTRY_PORT (8081) holding the domain's schemas.
 */
export function startCommand(program: Command): void {
  program
    .command('start')
    .description('run kes with its embedded infrastructure (today: the broker and the schema registry)')
    .action(async () => {
      const logger = defaultLogger('kes');
      const dataDir = process.env.KES_DATA_DIR ?? './data';
      const broker = await startBroker({
        port: Number(process.env.KES_BROKER_PORT ?? 9092),
        dataDir: path.join(dataDir, 'broker'),
        logger,
      });
      const registry = await startRegistry({
        port: Number(process.env.KES_REGISTRY_PORT ?? 8081),
        brokers: [broker.bootstrap],
        logger: logger.child({ component: 'registry' }),
      });
      const registered = await new Serde({
        registry: new SchemaRegistry({ host: registry.url }),
      }).registerAll();
      logger.info({ schemas: registered.length, registry: registry.url }, 'schemas registered');
      const signal = await untilSignal();
      logger.info({ signal }, 'shutting down');
      await registry.close();
      await broker.close();
    });
}
