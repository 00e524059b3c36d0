import { afterAll, beforeAll, describe } from 'vitest';
import type { RegistryHandle } from '../../../src/registry/index.js';
import { startTestBroker, type TestBroker } from '../../support/embeddedBroker.js';
import { startTestRegistry } from '../../support/embeddedRegistry.js';
import { registryConformance } from './registryConformance.js';

// The conformance suite against kes's registry, its state in the embedded broker's `_schemas`.

let broker: TestBroker;
let registry: RegistryHandle;

beforeAll(async () => {
  broker = await startTestBroker();
  registry = await startTestRegistry(broker);
});
afterAll(async () => {
  await registry?.close();
  await broker?.stop();
});

describe('Confluent REST API conformance: kes registry', () => {
  registryConformance({
    name: 'kes',
    get url() {
      return registry.url;
    },
  });
});
