import type { RangeOptions } from './keyValueStore.js';

/**
 * Store keys made of several parts (`<account id>, <sequence>`, `<index value>, <row key>`), built
 * so that two different tuples never give the same key, whatever the parts contain:
 *
 * - within a part, U+0000 is written U+0001 U+0001 and U+0001 is written U+0001 U+0002; an empty
 *   part is written as a lone U+0001 (followed by the separator or the end of the key);
 * - the parts are joined by U+0000.
 *
 * So an encoded part never contains U+0000 and is never empty:
 * - the first U+0000 of a key ends its first part: the keys starting with `compositePrefix(a)` are
 *   exactly those whose first part is `a` (`victim` lists none of `victim\u00001`'s keys);
 * - the key of a tuple sorts as the tuple does, part by part, under the stores' order (code points,
 *   keyOrder.ts): the escapes only use the three lowest code points, in the order of what they
 *   stand for, and a part that ends sorts before any that goes on;
 * - no key starts with U+0000, the start stores keep for their own keys (a view's progress);
 * - a part without U+0000 or U+0001 is written as itself: for every id the rules allow
 *   (idRules.ts), the keys are those the stores had before this encoding — `A-1\u0000000000000007`.
 */

/** Between the parts of a composite key. */
export const KEY_PART_SEPARATOR = '\u0000';

const ESCAPE = '\u0001';
/** An empty part, which must not leave the key empty or starting with the separator. */
const EMPTY_PART = ESCAPE;

/** One part as it is written in a composite key. */
export function encodeKeyPart(part: string): string {
  if (part.length === 0) return EMPTY_PART;
  if (!part.includes(KEY_PART_SEPARATOR) && !part.includes(ESCAPE)) return part;
  // The escape first: the separator's escape adds escapes that must stay as they are.
  return part.replaceAll(ESCAPE, '\u0001\u0002').replaceAll(KEY_PART_SEPARATOR, '\u0001\u0001');
}

/** The part an encoded part stands for; throws if it is not one `encodeKeyPart` writes. */
export function decodeKeyPart(encoded: string): string {
  if (encoded === EMPTY_PART) return '';
  const invalid = () => new Error(`not an encoded key part: ${JSON.stringify(encoded)}`);
  if (encoded.length === 0 || encoded.includes(KEY_PART_SEPARATOR)) throw invalid();
  if (!encoded.includes(ESCAPE)) return encoded;
  let part = '';
  for (let i = 0; i < encoded.length; i++) {
    const char = encoded[i]!;
    if (char !== ESCAPE) {
      part += char;
      continue;
    }
    const next = encoded[++i];
    if (next === '\u0001') part += KEY_PART_SEPARATOR;
    else if (next === '\u0002') part += ESCAPE;
    else throw invalid();
  }
  return part;
}

/** The key of a tuple of parts (at least one). */
export function compositeKey(...parts: readonly string[]): string {
  if (parts.length === 0) throw new Error('a composite key has at least one part');
  return parts.map(encodeKeyPart).join(KEY_PART_SEPARATOR);
}

/** The start of every key whose first parts are `parts`, and of no other key. */
export function compositePrefix(...parts: readonly string[]): string {
  return compositeKey(...parts) + KEY_PART_SEPARATOR;
}

/**
 * The range of the keys whose first parts are `parts` (and that have more): after the prefix's
 * separator, the next code point bounds them above, since no encoded part starts below U+0001.
 */
export function compositeRange(...parts: readonly string[]): Required<Pick<RangeOptions, 'gte' | 'lt'>> {
  const key = compositeKey(...parts);
  return { gte: key + KEY_PART_SEPARATOR, lt: key + ESCAPE };
}

/** The parts of a composite key. */
export function decodeCompositeKey(key: string): string[] {
  return key.split(KEY_PART_SEPARATOR).map(decodeKeyPart);
}
