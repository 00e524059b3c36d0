import * as path from 'node:path';
import { defineConfig } from 'vitest/config';

// Tiers by suffix: *.unit.spec.ts (pure, no I/O), *.int.spec.ts (real clients over TCP against the
// embedded broker), *.e2e.spec.ts (whole processes, end to end, under test/).
export default defineConfig({
  test: {
    // Every test file's worker gets kes's KafkaJS fixes before the test file loads KafkaJS, as the
    // CLI does (src/kafka/kafkaJsFixes.ts); the projects inherit it (extends: true).
    setupFiles: ['src/kafka/kafkaJsFixes.ts'],
    // The `kes` processes the tests start run the example application (the shop and the ledger).
    env: { KES_APP: path.resolve(import.meta.dirname, 'topology/application.ts') },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.unit.spec.ts', 'examples/**/*.unit.spec.ts', 'test/**/*.unit.spec.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'int',
          include: ['src/**/*.int.spec.ts', 'examples/**/*.int.spec.ts', 'test/**/*.int.spec.ts'],
          testTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/**/*.e2e.spec.ts'], testTimeout: 300_000, hookTimeout: 120_000 },
      },
      {
        extends: true,
        // The e2e scenarios on three real Apache Kafka nodes run as child JVMs (test/kafka); they
        // fail, saying why, where Java or Maven Central is missing. Each file runs three JVMs and
        // four kes processes, so they run one at a time, after the other projects.
        test: {
          name: 'real',
          include: ['test/real/**/*.real.spec.ts'],
          sequence: { groupOrder: 1 },
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: 300_000,
        },
      },
      {
        extends: true,
        // The same scenarios against Kafka and Schema Registry containers (testcontainers);
        // skipped, saying why, where no Docker engine answers.
        test: {
          name: 'containers',
          include: ['test/containers/**/*.containers.spec.ts'],
          sequence: { groupOrder: 1 },
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
