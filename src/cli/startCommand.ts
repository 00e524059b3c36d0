import * as path from 'node:path';
import type { Command } from 'commander';
import { defaultLogger } from '../broker/brokerOptions.js';
import { startBroker } from '../broker/index.js';
import { untilSignal } from './options.js';

/**
 * `kes start` (what `npm start` runs): the embedded default in one process. Today that is the
 * embedded broker on KES_BROKER_PORT (9092) with data under KES_DATA_DIR (./data).
 */
export function startCommand(program: Command): void {
  program
    .command('start')
    .description('run kes with its embedded infrastructure (today: the embedded broker)')
    .action(async () => {
      const logger = defaultLogger('kes');
      const dataDir = process.env.KES_DATA_DIR ?? './data';
      const broker = await startBroker({
        port: Number(process.env.KES_BROKER_PORT ?? 9092),
        dataDir: path.join(dataDir, 'broker'),
        logger,
      });
      const signal = await untilSignal();
      logger.info({ signal }, 'shutting down');
      await broker.close();
    });
}
