/**
 * What the aggregate store holds, and so what `<domain>.aggregates` (its compacted changelog)
 * holds, in three kinds of keys:
 *
 * - `<aggregateId>`: the aggregate's snapshot — its state after the last event and its version;
 * - `cmd/<commandId>`: the result of a command, so that a command sent again — however many
 *   others came in between — is answered with its first result and appends nothing;
 * - `exp/<time>/<commandId>`: when that result expires. Results are kept for
 *   `IDEMPOTENCY_RETENTION_MS` after their command was processed, then deleted (tombstones in the
 *   changelog); a command sent again later than that is processed again.
 *
 * JSON: snapshots are kes-internal and can always be rebuilt by replaying the events topic.
 */
export interface AggregateSnapshot<S> {
  readonly version: number;
  readonly state: S;
}

/** How long a command's result is remembered for idempotency (an Idempotency-Key's lifetime): 24 hours. */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;

/** The store key of a remembered command result. */
export const resultKey = (commandId: string) => `cmd/${commandId}`;

const EXPIRY_PREFIX = 'exp/';
const TIME_DIGITS = 15;

/** The store key recording when a command's result expires: sorted by time. */
export const expiryKey = (expiresAt: number, commandId: string) =>
  `${EXPIRY_PREFIX}${String(expiresAt).padStart(TIME_DIGITS, '0')}/${commandId}`;

/** The range of expiry keys due at `now`. */
export const dueExpiries = (now: number) => ({
  gte: EXPIRY_PREFIX,
  lt: `${EXPIRY_PREFIX}${String(now + 1).padStart(TIME_DIGITS, '0')}`,
});

/** The command id an expiry key is for. */
export const expiredCommand = (key: string) => key.slice(EXPIRY_PREFIX.length + TIME_DIGITS + 1);

export function encodeJson(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

export function decodeJson<T>(bytes: Buffer): T {
  return JSON.parse(bytes.toString('utf8')) as T;
}

/** Whether a key of the aggregate store is an aggregate's snapshot (not a result or an expiry). */
export const isSnapshotKey = (key: string) => !key.startsWith('cmd/') && !key.startsWith(EXPIRY_PREFIX);
