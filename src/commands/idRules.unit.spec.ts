import { describe, expect, it } from 'vitest';
import {
  AGGREGATE_ID_MAX_BYTES,
  aggregateIdProblem,
  COMMAND_ID_MAX_BYTES,
  commandIdProblem,
  IDEMPOTENCY_KEY_MAX_LENGTH,
  idempotencyKeyProblem,
} from './idRules.js';

/** An id of exactly `bytes` bytes of UTF-8, of 2-, 3- and 4-byte characters where they fit. */
function idOfBytes(bytes: number): string {
  let id = '';
  let left = bytes;
  for (const char of ['😀', '€', 'é']) {
    const size = Buffer.byteLength(char);
    while (left - size >= 1) {
      id += char;
      left -= size;
    }
  }
  id += 'a'.repeat(left);
  expect(Buffer.byteLength(id)).toBe(bytes);
  return id;
}

describe('the id rules', () => {
  it('are 200 bytes for an aggregate id, 256 for a command id, 200 ASCII characters for an Idempotency-Key', () => {
    expect([AGGREGATE_ID_MAX_BYTES, COMMAND_ID_MAX_BYTES, IDEMPOTENCY_KEY_MAX_LENGTH]).toEqual([
      200, 256, 200,
    ]);
  });

  it.each([
    ['aggregate id', aggregateIdProblem, AGGREGATE_ID_MAX_BYTES],
    ['command id', commandIdProblem, COMMAND_ID_MAX_BYTES],
  ] as const)('count a %s in bytes of UTF-8, not characters', (_what, problem, max) => {
    expect(problem(idOfBytes(1))).toBeUndefined();
    expect(problem(idOfBytes(max))).toBeUndefined();
    expect(problem('a'.repeat(max))).toBeUndefined();
    expect(problem(idOfBytes(max + 1))).toMatch(
      new RegExp(`must be 1–${max} bytes of UTF-8, not ${max + 1}$`),
    );
    // Fewer characters than the limit, more bytes: 67 × 3 = 201 bytes.
    expect(problem('€'.repeat(Math.ceil((max + 1) / 3)))).toMatch(/bytes of UTF-8, not/);
    expect(problem('x'.repeat(60_000))).toMatch(/not 60000$/);
  });

  it('accept printable characters of any script, astral ones and separators included', () => {
    for (const id of ['acc-1', 'order/7', 'a:b', 'a b', 'Ünïcödé', '中文', '😀', '\u00a0', 'a\u200bb', '~']) {
      expect(aggregateIdProblem(id), JSON.stringify(id)).toBeUndefined();
      expect(commandIdProblem(id), JSON.stringify(id)).toBeUndefined();
    }
  });

  it('refuse an empty id and what is not a string', () => {
    expect(aggregateIdProblem('')).toBe('an aggregate id must be 1–200 bytes of UTF-8, not empty');
    expect(commandIdProblem('')).toBe('a command id must be 1–256 bytes of UTF-8, not empty');
    expect(aggregateIdProblem(42)).toBe('an aggregate id must be a string');
    expect(commandIdProblem(undefined)).toBe('a command id must be a string');
  });

  it('refuse every control character, C0, DEL and C1, wherever it is, naming it', () => {
    const controls = [
      ...Array.from({ length: 0x20 }, (_, i) => i),
      ...Array.from({ length: 0x21 }, (_, i) => 0x7f + i),
    ].map((c) => String.fromCharCode(c));
    expect(controls).toHaveLength(65);
    for (const c of controls) {
      for (const id of [c, `victim${c}`, `${c}victim`, `vic${c}tim`]) {
        expect(aggregateIdProblem(id), JSON.stringify(id)).toMatch(/must not contain a control character/);
        expect(commandIdProblem(id), JSON.stringify(id)).toMatch(/must not contain a control character/);
      }
    }
    expect(aggregateIdProblem('victim\u00001')).toBe(
      'an aggregate id must not contain a control character (U+0000 at 6)',
    );
    expect(commandIdProblem('k\u0085')).toBe(
      'a command id must not contain a control character (U+0085 at 1)',
    );
    // Just outside the two blocks: printable.
    for (const id of ['\u0020', '\u007e', '\u00a0']) expect(aggregateIdProblem(id)).toBeUndefined();
  });

  it('refuse an unpaired surrogate, high or low, and accept a pair', () => {
    expect(aggregateIdProblem('a\ud83d')).toBe(
      'an aggregate id must not contain an unpaired surrogate (U+D83D at 1)',
    );
    expect(aggregateIdProblem('\ude00a')).toBe(
      'an aggregate id must not contain an unpaired surrogate (U+DE00 at 0)',
    );
    expect(commandIdProblem('\ude00\ud83d')).toMatch(/unpaired surrogate \(U\+DE00 at 0\)/);
    expect(aggregateIdProblem('\ud83d\ude00')).toBeUndefined();
  });

  it('refuse U+FFFD, which a key that is not UTF-8 is read as', () => {
    const key = Buffer.from([0x61, 0xff, 0x62]).toString('utf8');
    expect(aggregateIdProblem(key)).toMatch(/must not contain U\+FFFD/);
    expect(commandIdProblem('\ufffd')).toMatch(/must not contain U\+FFFD/);
  });

  it('keep the Idempotency-Key to 1–200 printable ASCII characters', () => {
    for (const key of ['k', 'restock-apple-1', '!~', 'k'.repeat(IDEMPOTENCY_KEY_MAX_LENGTH)]) {
      expect(idempotencyKeyProblem(key), key).toBeUndefined();
    }
    for (const key of ['', 'a b', 'é', 'k\u0000', 'k'.repeat(IDEMPOTENCY_KEY_MAX_LENGTH + 1)]) {
      expect(idempotencyKeyProblem(key), JSON.stringify(key)).toBe(
        'Idempotency-Key must be 1–200 printable ASCII characters',
      );
    }
    // Every key it lets through is a valid command id.
    expect(commandIdProblem('~'.repeat(IDEMPOTENCY_KEY_MAX_LENGTH))).toBeUndefined();
  });
});
