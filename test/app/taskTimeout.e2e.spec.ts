import { randomUUID } from 'node:crypto';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudEventHeaders as H } from '../../src/commands/cloudEvents.js';
import { Serde } from '../../src/serde/serde.js';
import { anotherService } from '../support/anotherService.js';
import { appScript, spawnApp } from '../support/appProcess.js';
import { CommandResults } from '../support/commandResults.js';
import { processCluster } from '../support/processCluster.js';
import { readTopic } from '../support/readTopic.js';
import { tempDir } from '../support/tempDir.js';
import type { TestCluster } from '../support/testCluster.js';
import { application } from '../../topology/application.js';

/**
 * A registry outage longer than the task timeout: `kes app` exits with status 1 (fail fast)
 * rather than dead-letter what it cannot read, and started again once the registry is back it
 * reads on from that record — nothing skipped, nothing dead-lettered.
 */
let cluster: TestCluster;
const dir = tempDir('kes-timeout-');
const apps: { kill(): Promise<void> }[] = [];

beforeAll(async () => {
  cluster = await processCluster();
});
afterAll(async () => {
  for (const app of apps) await app.kill();
  await cluster?.registry?.restart();
  await cluster?.stop();
  dir.remove();
});

describe('the task timeout', () => {
  it('stops kes app with status 1; started again, it processes the record that waited', async () => {
    const options = {
      brokers: cluster.bootstrap,
      registry: cluster.registryUrl,
      dataDir: dir.path,
      instanceId: 'timeout',
    };
    const service = await anotherService(cluster.registryUrl);
    const first = await spawnApp({ ...options, args: ['--task-timeout-ms', '3000'] });
    apps.push(first);
    const exited = new Promise<number | null>((resolve) => first.child.once('exit', resolve));
    await cluster.registry!.kill();
    const commandId = randomUUID();
    const accountId = `timeout-${randomUUID()}`;
    const kafka = cluster.kafka('timeout-test');
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({
      topic: 'accounts.commands',
      acks: -1,
      messages: [service.openAccount(commandId, accountId)],
    });
    await producer.disconnect();
    expect(await exited).toBe(1);
    expect(first.lines.some((l) => l.msg === 'a task waited too long; the instance exits')).toBe(true);

    await cluster.registry!.restart();
    const again = appScript({ ...options, args: ['--http-port', '0'] });
    apps.push(again);
    const results = await CommandResults.follow(
      kafka,
      Serde.forApplication(application, new SchemaRegistry({ host: cluster.registryUrl })),
    );
    try {
      expect(await results.waitFor(commandId, { timeoutMs: 120_000 })).toMatchObject({
        status: 'ACCEPTED',
        aggregateId: accountId,
      });
    } finally {
      await results.stop();
    }
    const deadLetters = await readTopic(kafka, 'accounts-commands.dlq');
    expect(deadLetters.filter((r) => r.message.headers?.[H.id]?.toString() === commandId)).toEqual([]);
    await again.stop();
  });
});
