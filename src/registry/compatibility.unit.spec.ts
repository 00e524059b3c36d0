import { describe, expect, it } from 'vitest';
import { checkCompatibility, type CompatibilityLevel, parseCompatibilityLevel } from './compatibility.js';

const s = (schema: unknown) => JSON.stringify(schema);
const record = (fields: unknown[], name = 'R', extra: object = {}) =>
  s({ type: 'record', name, fields, ...extra });
const field = (name: string, type: unknown, extra: object = {}) => ({ name, type, ...extra });
const enumOf = (symbols: string[], extra: object = {}) => s({ type: 'enum', name: 'E', symbols, ...extra });

/** Whether a reader schema reads what a writer schema wrote (BACKWARD: the new one reads the old). */
const reads = (reader: string, writer: string) =>
  checkCompatibility('BACKWARD', reader, [{ version: 1, schema: writer }]).length === 0;

// The answers are Java Avro's SchemaCompatibility, which Confluent's registry uses.
describe('compatibility: can the reader read what the writer wrote', () => {
  it.each([
    ['int as long', 'long', 'int', true],
    ['int as float', 'float', 'int', true],
    ['long as double', 'double', 'long', true],
    ['float as double', 'double', 'float', true],
    ['long as int', 'int', 'long', false],
    ['double as float', 'float', 'double', false],
    ['bytes as string', 'string', 'bytes', true],
    ['string as bytes', 'bytes', 'string', true],
    ['int as string', 'string', 'int', false],
    ['int as a union with int', s(['null', 'int']), 'int', true],
    ['int as a union with long (promotion)', s(['null', 'long']), 'int', true],
    ['a union as one of its branches', 'long', s(['null', 'int']), false],
    ['a smaller union', s(['null', 'int', 'string']), s(['null', 'int']), true],
    ['a larger union', s(['null', 'int']), s(['null', 'int', 'string']), false],
    [
      'array of int as array of long',
      s({ type: 'array', items: 'long' }),
      s({ type: 'array', items: 'int' }),
      true,
    ],
    [
      'map of long as map of int',
      s({ type: 'map', values: 'int' }),
      s({ type: 'map', values: 'long' }),
      false,
    ],
    [
      'fixed of another size',
      s({ type: 'fixed', name: 'F', size: 4 }),
      s({ type: 'fixed', name: 'F', size: 8 }),
      false,
    ],
  ])('%s: %s', (_name, reader, writer, expected) => {
    const quote = (t: string) => (t.startsWith('{') || t.startsWith('[') ? t : JSON.stringify(t));
    expect(reads(quote(reader), quote(writer))).toBe(expected);
  });

  it('records: added fields need a default, removed fields are skipped', () => {
    const v1 = record([field('a', 'int')]);
    expect(reads(record([field('a', 'int'), field('b', 'int')]), v1)).toBe(false);
    expect(reads(record([field('a', 'int'), field('b', 'int', { default: 0 })]), v1)).toBe(true);
    expect(reads(record([field('a', 'int'), field('b', ['null', 'string'], { default: null })]), v1)).toBe(
      true,
    );
    expect(reads(record([]), v1)).toBe(true);
    expect(reads(record([field('a', ['null', 'int'], { default: null })]), v1)).toBe(true);
  });

  it('records: a renamed field reads through its aliases', () => {
    const v1 = record([field('customer', 'string')]);
    expect(reads(record([field('client', 'string')]), v1)).toBe(false);
    expect(reads(record([field('client', 'string', { aliases: ['customer'] })]), v1)).toBe(true);
  });

  it('names: namespaces are ignored, names and aliases are not', () => {
    const a = record([field('x', 'int')], 'R', { namespace: 'one' });
    expect(reads(record([field('x', 'int')], 'R', { namespace: 'two' }), a)).toBe(true);
    expect(reads(record([field('x', 'int')], 'S', { namespace: 'one' }), a)).toBe(false);
    expect(reads(record([field('x', 'int')], 'S', { namespace: 'one', aliases: ['R'] }), a)).toBe(true);
  });

  it('enums: a writer symbol the reader lacks needs a reader default', () => {
    expect(reads(enumOf(['A', 'B', 'C']), enumOf(['A', 'B']))).toBe(true);
    expect(reads(enumOf(['A', 'B']), enumOf(['A', 'B', 'C']))).toBe(false);
    expect(reads(enumOf(['A', 'B'], { default: 'A' }), enumOf(['A', 'B', 'C']))).toBe(true);
    // A renamed symbol (CommandResult's ERROR, FAILED from version 2): the old one reads as the
    // reader's default; a default only the writer has helps no reader.
    expect(reads(enumOf(['A', 'F'], { default: 'F' }), enumOf(['A', 'E']))).toBe(true);
    expect(reads(enumOf(['A', 'E']), enumOf(['A', 'F'], { default: 'F' }))).toBe(false);
  });

  it('logical types are checked as their underlying types', () => {
    const decimal = (precision: number) => s({ type: 'bytes', logicalType: 'decimal', precision, scale: 2 });
    expect(reads(decimal(10), decimal(12))).toBe(true);
    expect(reads(s({ type: 'long', logicalType: 'timestamp-millis' }), '"long"')).toBe(true);
  });
});

describe('compatibility levels', () => {
  const v1 = record([field('a', 'int')]);
  const v2 = record([field('a', 'int'), field('b', 'int', { default: 0 })]);
  const v3 = record([field('b', 'int', { default: 0 })]); // drops a, which v1 readers need
  const withoutDefault = record([field('a', 'int'), field('c', 'int')]);
  const earlier = (...schemas: string[]) => schemas.map((schema, i) => ({ version: i + 1, schema }));
  const ok = (level: CompatibilityLevel, candidate: string, ...previous: string[]) =>
    checkCompatibility(level, candidate, earlier(...previous)).length === 0;

  it('NONE accepts anything', () => {
    expect(ok('NONE', '"string"', v1)).toBe(true);
  });

  it('BACKWARD: the new schema reads the old; FORWARD: the old reads the new; FULL: both', () => {
    expect(ok('BACKWARD', withoutDefault, v1)).toBe(false);
    expect(ok('FORWARD', withoutDefault, v1)).toBe(true);
    expect(ok('BACKWARD', v3, v2)).toBe(true);
    expect(ok('FORWARD', v3, v1)).toBe(false);
    expect(ok('FULL', v2, v1)).toBe(true);
    expect(ok('FULL', withoutDefault, v1)).toBe(false);
  });

  it('*_TRANSITIVE levels check every version given, newest first', () => {
    const a = record([field('a', 'string')]);
    const b = record([field('a', 'string'), field('n', 'int', { default: 0 })]);
    const c = record([field('n', 'int', { default: 0 }), field('a', 'string', { default: '' })]);
    expect(ok('FORWARD_TRANSITIVE', c, a, b)).toBe(true);
    const forwardBreak = record([field('n', 'int')]); // drops a: a readers cannot read it
    expect(ok('FORWARD', forwardBreak, b)).toBe(false);
    expect(ok('BACKWARD_TRANSITIVE', record([field('n', 'int')]), a, b)).toBe(false);
    expect(ok('BACKWARD_TRANSITIVE', c, a, b)).toBe(true);
    expect(ok('FULL_TRANSITIVE', c, a, b)).toBe(true);
  });

  it('explains the first incompatibility with the version, the old schema and the level', () => {
    const messages = checkCompatibility('BACKWARD_TRANSITIVE', withoutDefault, earlier(v1, v2));
    expect(messages).toEqual([
      "{errorType:'READER_INCOMPATIBLE', description:'The new schema cannot read data written with version 2: " +
        "no matching field for default-less R.c'}",
      '{oldSchemaVersion: 2}',
      `{oldSchema: '${v2}'}`,
      "{compatibility: 'BACKWARD_TRANSITIVE'}",
    ]);
  });

  it('reads level names in any case', () => {
    expect(parseCompatibilityLevel('full_transitive')).toBe('FULL_TRANSITIVE');
    expect(parseCompatibilityLevel('Backward')).toBe('BACKWARD');
    expect(parseCompatibilityLevel('sideways')).toBeUndefined();
    expect(parseCompatibilityLevel(3)).toBeUndefined();
  });
});
