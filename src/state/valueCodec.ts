import { StateError } from './stateError.js';

/** Turns a store's values into bytes and back. */
export interface ValueCodec<T> {
  encode(value: T): Buffer;
  decode(bytes: Buffer): T;
}

/** Bytes as they are. */
export const bufferCodec: ValueCodec<Buffer> = {
  encode: (value) => value,
  decode: (bytes) => bytes,
};

/** Text as UTF-8. */
export const stringCodec: ValueCodec<string> = {
  encode: (value) => Buffer.from(value, 'utf8'),
  decode: (bytes) => bytes.toString('utf8'),
};

/** The tag a bigint is written as: `{"$bigint":"12345678901234567890"}`. */
const BIGINT_TAG = '$bigint';

const isTagged = (value: unknown): value is { [BIGINT_TAG]: unknown } =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.keys(value).length === 1 &&
  Object.hasOwn(value, BIGINT_TAG);

/**
 * JSON in UTF-8, with bigints (offsets, versions, money in minor units) kept exact: a bigint is
 * written as `{"$bigint":"<decimal>"}` and read back as a bigint. An object of its own whose only
 * key is `$bigint` would read back as something else, so encoding refuses it. Otherwise JSON's
 * rules apply (Dates become strings, undefined properties vanish).
 */
export function jsonCodec<T>(): ValueCodec<T> {
  return {
    encode(value) {
      let text: string | undefined;
      try {
        text = JSON.stringify(value, (_key, v: unknown) => {
          if (typeof v === 'bigint') return { [BIGINT_TAG]: v.toString() };
          if (isTagged(v)) throw new StateError('INVALID_VALUE', `an object whose only key is ${BIGINT_TAG}`);
          return v;
        });
      } catch (err) {
        if (err instanceof StateError) throw err;
        throw new StateError('INVALID_VALUE', (err as Error).message, { cause: err });
      }
      if (text === undefined) throw new StateError('INVALID_VALUE', `${typeof value} has no JSON form`);
      return Buffer.from(text, 'utf8');
    },
    decode(bytes) {
      try {
        return JSON.parse(bytes.toString('utf8'), (_key, v: unknown) =>
          isTagged(v) && typeof v[BIGINT_TAG] === 'string' && /^-?\d+$/.test(v[BIGINT_TAG])
            ? BigInt(v[BIGINT_TAG])
            : v,
        ) as T;
      } catch (err) {
        throw new StateError('INVALID_VALUE', (err as Error).message, { cause: err });
      }
    },
  };
}
