import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import * as path from 'node:path';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiTestApp } from '../../test/support/apiTestApp.js';
import { spawnScript } from '../../test/support/spawnScript.js';
import { application } from '../../topology/application.js';
import { runtimeTopics } from '../topology/runtimeTopics.js';
import { ViewControl } from '../views/viewControl.js';
import { requestRebuild } from '../views/viewRuntime.js';
import { type FollowedState, followRebuild } from './followRebuild.js';

/**
 * `kes views rebuild <view>` against a running instance on the embedded stack: the command (a
 * process of its own, its output not a TTY) prints one JSON line per change until the switch, or
 * only the request with --no-follow; on a TTY the follow redraws one progress line in place; it
 * fails with a clear message when the switch does not come in time.
 */
const api = new ApiTestApp('views-cli');
const main = path.resolve(import.meta.dirname, 'main.ts');
let admin: Admin;
let control: ViewControl;

beforeAll(async () => {
  await api.start({ views: { retireAfterMs: 500, checkIntervalMs: 200 } });
  for (let i = 0; i < 20; i++) await api.addProduct(`cli-${i}`);
  const kafka = api.broker.kafka('views-cli-test');
  admin = kafka.admin();
  await admin.connect();
  control = await ViewControl.start({
    kafka,
    groupId: `views-cli-${randomUUID()}`,
    topic: runtimeTopics(application.topology.applicationId).views,
  });
}, 120_000);
afterAll(async () => {
  await control?.stop();
  await admin?.disconnect();
  await api.stop();
}, 60_000);

/** Runs `kes views rebuild ...` to its end: its exit code and JSON lines. */
async function kes(...args: string[]) {
  const cli = spawnScript(main, [
    '--app',
    'topology/application.ts',
    'views',
    'rebuild',
    ...args,
    '--brokers',
    api.broker.broker.bootstrap,
  ]);
  const [code] = (await once(cli.child, 'exit')) as [number | null];
  return { code, lines: cli.lines as unknown as FollowedState[] };
}

const products = application.views.get('products')!;

describe('kes views rebuild', () => {
  it('follows the rebuild until the switch, one JSON line per change', async () => {
    const { active } = control.state('products');
    const next = active + 1;
    const { code, lines } = await kes('products');
    expect(code).toBe(0);
    expect(lines[0]).toMatchObject({
      view: 'products',
      active,
      building: next,
      progress: { generation: next },
    });
    expect(lines.at(-1)).toMatchObject({ view: 'products', active: next, building: null, progress: null });
    const progress = lines.flatMap((l) => (l.progress ? [l.progress] : []));
    for (const [i, p] of progress.entries()) {
      expect(p.consumed).toBeLessThanOrEqual(p.total);
      if (i > 0) expect(p.consumed).toBeGreaterThanOrEqual(progress[i - 1]!.consumed);
    }
    expect(control.state('products')).toMatchObject({ active: next, building: null });
  });

  it('returns once the rebuild is requested with --no-follow', async () => {
    const { code, lines } = await kes('account-balances', '--no-follow');
    expect(code).toBe(0);
    expect(lines).toEqual([
      { view: 'account-balances', active: 1, building: 2, updatedAt: expect.any(String) },
    ]);
    // Let it end here, so that the other tests find no rebuild under way.
    await expect.poll(() => control.state('account-balances').active, { timeout: 60_000 }).toBe(2);
  });

  it('redraws one progress line in place on a TTY, and ends with the switch', async () => {
    const writes: string[] = [];
    const state = await requestRebuild(control, 'products');
    const generation = state.building!;
    const followed = await followRebuild({
      admin,
      control,
      topology: application.topology,
      view: 'products',
      processors: products.processors,
      generation: state.building!,
      out: { isTTY: true, write: (text: string) => writes.push(text) },
      timeoutMs: 60_000,
      intervalMs: 50,
    });
    expect(followed).toMatchObject({ active: generation, building: null, progress: null });
    const bars = writes.slice(0, -1);
    expect(bars.length).toBeGreaterThan(0);
    for (const bar of bars) {
      expect(bar.startsWith('\r\u001b[K')).toBe(true);
      expect(bar.slice(4)).toMatch(
        new RegExp(`^products g${generation} \\[[#-]{30}\\] +\\d+\\.\\d% {2}\\d+/\\d+$`),
      );
    }
    expect(writes.at(-1)).toBe(`\r\x1b[Kproducts: generation ${generation} serves queries\n`);
  });

  it('fails with a clear message when the switch does not come in time (the rebuild goes on)', async () => {
    const state = await requestRebuild(control, 'orders');
    const writes: string[] = [];
    await expect(
      followRebuild({
        admin,
        control,
        topology: application.topology,
        view: 'orders',
        processors: application.views.get('orders')!.processors,
        generation: state.building!,
        out: { write: (text: string) => writes.push(text) },
        timeoutMs: 0,
      }),
    ).rejects.toThrow(
      /^orders did not switch to generation 2 within 0 ms \(read \d+ of \d+ records\); the rebuild goes on/,
    );
    expect(JSON.parse(writes[0]!)).toMatchObject({
      view: 'orders',
      building: 2,
      progress: { generation: 2 },
    });
    await expect.poll(() => control.state('orders').active, { timeout: 60_000 }).toBe(2);
  });
});
