import pino from 'pino';
import { type RegistryHandle, type RegistryOptions, startRegistry } from '../../src/registry/index.js';
import type { TestBroker } from './embeddedBroker.js';

/** An embedded schema registry on a free port, storing its state in `broker`'s `_schemas`. */
export function startTestRegistry(
  broker: TestBroker,
  options: RegistryOptions = {},
): Promise<RegistryHandle> {
  return startRegistry({
    port: 0,
    brokers: [broker.broker.bootstrap],
    logger: pino({ level: process.env.KES_TEST_LOG_LEVEL ?? 'silent' }),
    ...options,
  });
}
