/**
 * What an id may be. Ids become Kafka keys (an aggregate id keys its commands, events, snapshots
 * and the rows of views; a command id keys its result) and parts of store keys, so they are
 * bounded and made of printable characters only:
 *
 * - an aggregate id is 1–200 bytes of UTF-8;
 * - a command id is 1–256 bytes: the ids sagas and policies give their commands are an aggregate
 *   id and a suffix (`<order id>/reserve/3`, `<transfer id>:debit`), so they need room beyond one;
 * - neither contains a control character (Unicode category Cc: U+0000–U+001F, U+007F–U+009F), an
 *   unpaired surrogate (which has no UTF-8 form: it would be written as U+FFFD, another id), or
 *   U+FFFD itself (what a Kafka key that is not UTF-8 is read as: two such keys would be one id).
 *
 * The Idempotency-Key header, which becomes the command id of a command sent over HTTP, is
 * narrower still: 1–200 printable ASCII characters (U+0021–U+007E, no space).
 *
 * Each check returns what is wrong, as a sentence naming the id, or undefined when nothing is.
 */

export const AGGREGATE_ID_MAX_BYTES = 200;
export const COMMAND_ID_MAX_BYTES = 256;
export const IDEMPOTENCY_KEY_MAX_LENGTH = 200;

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const IDEMPOTENCY_KEY = new RegExp(`^[\\x21-\\x7e]{1,${IDEMPOTENCY_KEY_MAX_LENGTH}}$`);

/** What is wrong with an aggregate id, or undefined. */
export function aggregateIdProblem(id: unknown): string | undefined {
  return idProblem('an aggregate id', id, AGGREGATE_ID_MAX_BYTES);
}

/** What is wrong with a command id, or undefined. */
export function commandIdProblem(id: unknown): string | undefined {
  return idProblem('a command id', id, COMMAND_ID_MAX_BYTES);
}

/** What is wrong with an Idempotency-Key header, or undefined. */
export function idempotencyKeyProblem(key: string): string | undefined {
  return IDEMPOTENCY_KEY.test(key)
    ? undefined
    : `Idempotency-Key must be 1–${IDEMPOTENCY_KEY_MAX_LENGTH} printable ASCII characters`;
}

function idProblem(what: string, id: unknown, maxBytes: number): string | undefined {
  if (typeof id !== 'string') return `${what} must be a string`;
  const bounds = `${what} must be 1–${maxBytes} bytes of UTF-8`;
  if (id.length === 0) return `${bounds}, not empty`;
  const control = firstControl(id);
  if (control >= 0) {
    return `${what} must not contain a control character (${codePoint(id[control]!)} at ${control})`;
  }
  const surrogate = UNPAIRED_SURROGATE.exec(id);
  if (surrogate) {
    return `${what} must not contain an unpaired surrogate (${codePoint(surrogate[0])} at ${surrogate.index})`;
  }
  const replacement = id.indexOf('\ufffd');
  if (replacement >= 0) {
    return `${what} must not contain U+FFFD (bytes that are not UTF-8 read as it) (at ${replacement})`;
  }
  // A UTF-8 form is at most 3 bytes per UTF-16 code unit: most ids need no counting.
  if (id.length * 3 <= maxBytes) return undefined;
  const bytes = Buffer.byteLength(id, 'utf8');
  return bytes > maxBytes ? `${bounds}, not ${bytes}` : undefined;
}

/** Where the first control character (category Cc: C0, DEL, C1) is, or -1. */
function firstControl(id: string): number {
  for (let i = 0; i < id.length; i++) {
    const unit = id.charCodeAt(i);
    if (unit <= 0x1f || (unit >= 0x7f && unit <= 0x9f)) return i;
  }
  return -1;
}

const codePoint = (char: string) => `U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
