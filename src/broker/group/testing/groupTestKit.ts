import pino from 'pino';
import { vi } from 'vitest';
import { GroupCoordinator, type GroupCoordinatorOptions } from '../groupCoordinator.js';
import type { JoinGroupResult } from '../groupMember.js';
import type { JoinGroupRequest } from '../groupMembership.js';
import { MemoryGroupJournal } from '../memoryGroupJournal.js';

/** Helpers for the coordinator's unit tests: no sockets, no files, fake timers. */

export function newCoordinator(
  options: Partial<GroupCoordinatorOptions> = {},
  journal = new MemoryGroupJournal(),
): GroupCoordinator {
  const coordinator = new GroupCoordinator({
    dataDir: 'unused',
    logger: pino({ level: 'silent' }),
    initialRebalanceDelayMs: 0,
    minSessionTimeoutMs: 1000,
    maxSessionTimeoutMs: 60_000,
    journal,
    ...options,
  });
  coordinator.load();
  return coordinator;
}

export function joinRequest(overrides: Partial<JoinGroupRequest> = {}): JoinGroupRequest {
  return {
    groupId: 'g',
    memberId: '',
    clientId: 'client',
    clientHost: '/127.0.0.1',
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 30_000,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: Buffer.from('subscription') }],
    requireKnownMemberId: false,
    ...overrides,
  };
}

/** A result that may arrive later: `settled` tells whether it has. */
export interface Pending<T> {
  settled: boolean;
  value: T | undefined;
  readonly promise: Promise<T>;
}

export function track<T>(result: Promise<T> | T): Pending<T> {
  const promise = Promise.resolve(result);
  const pending: Pending<T> = { settled: false, value: undefined, promise };
  void promise.then((value) => {
    pending.settled = true;
    pending.value = value;
  });
  return pending;
}

/** Lets resolved promises run their continuations. */
export async function flush(): Promise<void> {
  await vi.advanceTimersByTimeAsync(0);
}

export async function settled<T>(pending: Pending<T>): Promise<T> {
  await flush();
  if (!pending.settled) throw new Error('still waiting');
  return pending.value!;
}

/**
 * Joins the named members to group "g" at once and syncs them (the leader assigning each member
 * its own name), leaving the group Stable. Needs an initial rebalance delay so that everyone
 * lands in the same generation.
 */
export async function formGroup(
  coordinator: GroupCoordinator,
  names: readonly string[],
  overrides: Partial<JoinGroupRequest> = {},
): Promise<Record<string, JoinGroupResult>> {
  const joins = names.map((name) =>
    track(coordinator.joinGroup(joinRequest({ clientId: name, ...overrides }))),
  );
  await vi.advanceTimersByTimeAsync(coordinator.options.initialRebalanceDelayMs * 3 + 1);
  const results = Object.fromEntries(names.map((name, i) => [name, joins[i]!.value!]));
  for (const result of Object.values(results)) {
    if (result?.errorCode !== 0) throw new Error(`join failed: ${JSON.stringify(result)}`);
  }
  const leaderName = names.find((n) => results[n]!.memberId === results[n]!.leader)!;
  const follows = names
    .filter((n) => n !== leaderName)
    .map((n) =>
      track(
        coordinator.syncGroup({
          groupId: 'g',
          generationId: results[n]!.generationId,
          memberId: results[n]!.memberId,
          assignments: [],
        }),
      ),
    );
  await coordinator.syncGroup({
    groupId: 'g',
    generationId: results[leaderName]!.generationId,
    memberId: results[leaderName]!.memberId,
    assignments: names.map((n) => ({ memberId: results[n]!.memberId, assignment: Buffer.from(n) })),
  });
  await flush();
  for (const f of follows) if (f.value?.errorCode !== 0) throw new Error('sync failed');
  return results;
}
