/**
 * What the aggregate store holds, and so what `<domain>.aggregates` (its compacted changelog)
 * holds, in three kinds of keys:
 *
 * - `<aggregateId>`: the aggregate's snapshot — its state after the last event and its version;
 * - `\0cmd["<aggregateId>","<commandId>"]`: the result of a command to that aggregate, so that the
 *   command sent again — however many others came in between — is answered with its first result
 *   and appends nothing;
 * - `\0exp<time>["<aggregateId>","<commandId>"]`: when that result expires. Results are kept for
 *   `IDEMPOTENCY_RETENTION_MS` after their command was processed (or as configured), then deleted
 *   (tombstones in the changelog); a command sent again later than that is processed again;
 * - `\0count`: how many results the store remembers (for a limit by count: the oldest go first).
 *
 * The remembered kinds start with NUL, which no aggregate id may contain (idRules.ts: CommandSender
 * refuses it, the command handler dead-letters a record keyed with it), so they never collide with
 * a snapshot. Their ids are a JSON array, which tells every pair of strings apart whatever they
 * contain (quotes, commas, NUL: all escaped), so no two commands share a result.
 *
 * JSON: snapshots are kes-internal and can always be rebuilt by replaying the events topic.
 */
export interface AggregateSnapshot<S> {
  readonly version: number;
  readonly state: S;
}

/** How long a command's result is remembered for idempotency (an Idempotency-Key's lifetime): 24 hours. */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;

/** The first character of every store key that is not an aggregate's snapshot. */
export const RESERVED_KEY_START = '\u0000';

const RESULT_PREFIX = `${RESERVED_KEY_START}cmd`;
const EXPIRY_PREFIX = `${RESERVED_KEY_START}exp`;
const TIME_DIGITS = 15;

/** The store key of the remembered result of a command to an aggregate. */
export const resultKey = (aggregateId: string, commandId: string) =>
  RESULT_PREFIX + JSON.stringify([aggregateId, commandId]);

/** The store key of the number of results remembered. */
export const RESULT_COUNT_KEY = `${RESERVED_KEY_START}count`;

export const encodeCount = (count: number): Buffer => Buffer.from(String(count), 'utf8');
export const decodeCount = (value: Buffer | undefined): number =>
  value ? Number(value.toString('utf8')) || 0 : 0;

/** Whether a store key records when a result expires. */
export const isExpiryKey = (key: string): boolean => key.startsWith(EXPIRY_PREFIX);

/** The store key recording when a command's result expires: sorted by time. */
export const expiryKey = (expiresAt: number, aggregateId: string, commandId: string) =>
  EXPIRY_PREFIX + String(expiresAt).padStart(TIME_DIGITS, '0') + JSON.stringify([aggregateId, commandId]);

/** The range of expiry keys due at `now`. */
export const dueExpiries = (now: number) => ({
  gte: EXPIRY_PREFIX,
  lt: EXPIRY_PREFIX + String(now + 1).padStart(TIME_DIGITS, '0'),
});

/** The result key an expiry key is for. */
export function expiredResult(key: string): string {
  const [aggregateId, commandId] = JSON.parse(key.slice(EXPIRY_PREFIX.length + TIME_DIGITS)) as [
    string,
    string,
  ];
  return resultKey(aggregateId, commandId);
}

export function encodeJson(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

export function decodeJson<T>(bytes: Buffer): T {
  return JSON.parse(bytes.toString('utf8')) as T;
}

/** Whether a key of the aggregate store is an aggregate's snapshot (not a result or an expiry). */
export const isSnapshotKey = (key: string) => !key.startsWith(RESERVED_KEY_START);
