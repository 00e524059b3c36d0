import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudEventHeaders as H } from '../../src/commands/cloudEvents.js';
import { Serde } from '../../src/serde/serde.js';
import { type AppProcess, spawnApp } from '../support/appProcess.js';
import { CommandResults } from '../support/commandResults.js';
import { processCluster } from '../support/processCluster.js';
import { readTopic } from '../support/readTopic.js';
import { tempDir } from '../support/tempDir.js';
import type { TestCluster } from '../support/testCluster.js';
import { application } from '../../topology/application.js';

/**
 * The local disk fails under a running instance: `prlimit` lowers the file size limit of the
 * `kes app` process (RLIMIT_FSIZE) to nothing, so that every write that grows a file — LevelDB's
 * log, its tables, a new store — fails with EFBIG, as on a full disk; later the limit is lifted.
 * Commands sent meanwhile are waited on, never dead-lettered: each is applied exactly once, and
 * the stores, restored from their changelogs, agree with the events.
 */
let cluster: TestCluster;
let app: AppProcess | undefined;
const dir = tempDir('kes-disk-');

beforeAll(async () => {
  cluster = await processCluster();
});
afterAll(async () => {
  await app?.kill();
  await cluster?.stop();
  dir.remove();
});

const fileSizeLimit = (pid: number, limit: string) =>
  execFileSync('prlimit', ['--pid', String(pid), `--fsize=${limit}`]);

async function post(url: string, type: string, data: unknown, key: string) {
  const reply = await fetch(`${url}/commands/${type}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(data),
  });
  return { status: reply.status, body: (await reply.json()) as { position?: string } };
}

describe('a disk write failing', () => {
  it('is waited out: every command applied once, none dead-lettered, the stores right again', async () => {
    app = await spawnApp({
      brokers: cluster.bootstrap,
      registry: cluster.registryUrl,
      dataDir: dir.path,
      instanceId: 'disk',
    });
    const accounts = Array.from({ length: 6 }, () => `disk-${randomUUID()}`);
    for (const accountId of accounts) {
      const opened = await post(
        app.url,
        'OpenAccount',
        { accountId, ownerId: 'o', initialDeposit: 100, overdraftLimit: 0 },
        randomUUID(),
      );
      expect(opened.status).toBe(200);
    }
    const pid = app.child.pid!;
    fileSizeLimit(pid, '0:unlimited');
    const deposits = accounts.flatMap((accountId) =>
      Array.from({ length: 5 }, () => ({ accountId, key: randomUUID() })),
    );
    const answers = Promise.all(
      deposits.map((d) => post(app!.url, 'DepositMoney', { accountId: d.accountId, amount: 10 }, d.key)),
    );
    // The disk refused writes of this instance for real: a transaction's store writes after its
    // commit, then the task opened again to restore its stores from the changelog.
    const refused = (msg: string) => (l: Record<string, unknown>) =>
      l.msg === msg && /File too large/i.test(JSON.stringify(l.err ?? ''));
    await app.waitForLine(
      refused('transaction failed; the task starts again from its committed offsets'),
      60_000,
    );
    await app.waitForLine(refused('task failed to start; retrying'), 60_000);
    fileSizeLimit(pid, 'unlimited:unlimited');
    expect((await answers).map((a) => a.status).filter((s) => ![200, 202, 503].includes(s))).toEqual([]);

    const serde = Serde.forApplication(application, new SchemaRegistry({ host: cluster.registryUrl }));
    const kafka = cluster.kafka('disk-test');
    const results = await CommandResults.follow(kafka, serde);
    try {
      for (const d of deposits) {
        expect(await results.waitFor(d.key, { timeoutMs: 120_000 })).toMatchObject({ status: 'ACCEPTED' });
      }
    } finally {
      await results.stop();
    }
    const caused = new Map<string, number>();
    for (const { message } of await readTopic(kafka, 'accounts.events')) {
      const cause = message.headers?.[H.causationId]?.toString();
      if (cause) caused.set(cause, (caused.get(cause) ?? 0) + 1);
    }
    for (const d of deposits) expect(caused.get(d.key), d.key).toBe(1);
    const ids = new Set<string>(deposits.map((d) => d.key));
    const deadLetters = await readTopic(kafka, 'accounts-commands.dlq');
    expect(deadLetters.filter((r) => ids.has(r.message.headers?.[H.id]?.toString() ?? ''))).toEqual([]);
    // The aggregates, restored from their changelog, go on from the right version.
    for (const accountId of accounts) {
      const deposited = await post(app.url, 'DepositMoney', { accountId, amount: 1 }, randomUUID());
      expect(deposited.status).toBe(200);
      const after = encodeURIComponent(deposited.body.position!);
      const reply = await fetch(`${app.url}/views/account-balances/${accountId}?after=${after}`);
      expect(await reply.json()).toMatchObject({ balance: 100 + 5 * 10 + 1 });
    }
  });
});
