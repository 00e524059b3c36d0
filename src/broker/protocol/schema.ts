import { ProtocolError } from './protocolError.js';
import { Reader } from './reader.js';
import { Writer } from './writer.js';

/**
 * A small declarative schema language for Kafka messages: each API module describes its request
 * and response as structs of typed fields with the versions they exist in, and this file turns
 * the description into a decoder and an encoder for any version, flexible (KIP-482: compact
 * strings, arrays and bytes, tagged fields) or not. Value types are inferred from the schema.
 * https://kafka.apache.org/protocol#protocol_messages
 */

/** A version range as Kafka's message specs write it: "3+", "0-2", "4", or "none". */
export type VersionRange = string;

interface Range {
  readonly min: number;
  readonly max: number;
}

const NONE: Range = { min: 1, max: 0 };

export function parseRange(spec: VersionRange): Range {
  if (spec === 'none') return NONE;
  const plus = /^(\d+)\+$/.exec(spec);
  if (plus) return { min: Number(plus[1]), max: Number.MAX_SAFE_INTEGER };
  const span = /^(\d+)-(\d+)$/.exec(spec);
  if (span) return { min: Number(span[1]), max: Number(span[2]) };
  if (/^\d+$/.test(spec)) return { min: Number(spec), max: Number(spec) };
  throw new Error(`invalid version range ${spec}`);
}

const within = (range: Range, version: number) => version >= range.min && version <= range.max;

/** Where a value is read or written: the message version and whether it is a flexible one. */
export interface Context {
  readonly version: number;
  readonly flexible: boolean;
}

export interface Type<T> {
  /** Kafka's name for the type: int32, string, []int32, struct... */
  readonly typeName: string;
  /** For structs: their fields, in wire order (used for documentation and tests). */
  readonly fields?: readonly (Field<unknown, boolean> & { name: string })[];
  /** For arrays: the item type. */
  readonly item?: Type<unknown>;
  read(r: Reader, ctx: Context, nullable: boolean): T | null;
  write(w: Writer, value: T | null, ctx: Context, nullable: boolean): void;
  /** The value of a field that does not exist at a version. */
  readonly zero: T;
}

function nonNull<T>(value: T | null, what: string): T {
  if (value === null) throw new ProtocolError(`null ${what} in a non-nullable field`);
  return value;
}

function fixed<T>(
  typeName: string,
  zero: T,
  read: (r: Reader) => T,
  write: (w: Writer, v: T) => void,
): Type<T> {
  return {
    typeName,
    zero,
    read: (r) => read(r),
    write: (w, v) => write(w, nonNull(v, 'value')),
  };
}

export const int8 = fixed(
  'int8',
  0,
  (r) => r.int8(),
  (w, v) => w.int8(v),
);
export const int16 = fixed(
  'int16',
  0,
  (r) => r.int16(),
  (w, v) => w.int16(v),
);
export const uint16 = fixed(
  'uint16',
  0,
  (r) => r.uint16(),
  (w, v) => w.uint16(v),
);
export const int32 = fixed(
  'int32',
  0,
  (r) => r.int32(),
  (w, v) => w.int32(v),
);
export const int64 = fixed(
  'int64',
  0n,
  (r) => r.int64(),
  (w, v) => w.int64(v),
);
export const float64 = fixed(
  'float64',
  0,
  (r) => r.float64(),
  (w, v) => w.float64(v),
);
export const bool = fixed(
  'bool',
  false,
  (r) => r.bool(),
  (w, v) => w.bool(v),
);
export const uuid = fixed(
  'uuid',
  Buffer.alloc(16),
  (r) => Buffer.from(r.uuid()),
  (w, v) => w.raw(v.length === 16 ? v : Buffer.alloc(16)),
);

export const string: Type<string> = {
  typeName: 'string',
  zero: '',
  read(r, ctx, nullable) {
    const value = ctx.flexible ? r.compactNullableString() : r.nullableString();
    return nullable ? value : nonNull(value, 'string');
  },
  write(w, value, ctx, nullable) {
    if (!nullable) nonNull(value, 'string');
    if (ctx.flexible) w.compactNullableString(value);
    else w.nullableString(value);
  },
};

/** Bytes; also used for the `records` fields, which are nullable bytes holding record batches. */
export const bytes: Type<Buffer> = {
  typeName: 'bytes',
  zero: Buffer.alloc(0),
  read(r, ctx, nullable) {
    const value = ctx.flexible ? r.compactNullableBytes() : r.nullableBytes();
    return nullable ? value : nonNull(value, 'bytes');
  },
  write(w, value, ctx, nullable) {
    if (!nullable) nonNull(value, 'bytes');
    if (ctx.flexible) w.compactNullableBytes(value);
    else w.nullableBytes(value);
  },
};

export function array<T>(item: Type<T>): Type<T[]> {
  return {
    typeName: `[]${item.typeName}`,
    item: item as Type<unknown>,
    zero: [],
    read(r, ctx, nullable) {
      const length = ctx.flexible ? r.compactArrayLength() : r.arrayLength();
      if (length < 0) {
        if (!nullable) throw new ProtocolError('null array in a non-nullable field');
        return null;
      }
      const values = new Array<T>(length);
      for (let i = 0; i < length; i++) values[i] = item.read(r, ctx, false) as T;
      return values;
    },
    write(w, values, ctx, nullable) {
      if (values === null) {
        if (!nullable) throw new ProtocolError('null array in a non-nullable field');
        if (ctx.flexible) w.uvarint(0);
        else w.int32(-1);
        return;
      }
      if (ctx.flexible) w.uvarint(values.length + 1);
      else w.int32(values.length);
      for (const value of values) item.write(w, value, ctx, false);
    },
  };
}

export interface FieldOptions<T> {
  /** Versions the field exists in; default all. */
  versions?: VersionRange;
  /** Versions in which it may be null. */
  nullable?: VersionRange;
  /** Value when absent from a version (and the reference for omitting a tagged field). */
  default?: T;
  /** Tag number: the field lives in the tagged-field section of flexible versions. */
  tag?: number;
}

export interface Field<T, N extends boolean> {
  readonly type: Type<T>;
  readonly versions: Range;
  readonly nullable: Range;
  readonly default: T | null;
  readonly tag: number | undefined;
  /** Phantom marker carrying nullability into the inferred value type. */
  readonly isNullable?: N;
}

export function field<T>(
  type: Type<T>,
  options: FieldOptions<T> & { nullable: VersionRange },
): Field<T, true>;
export function field<T>(type: Type<T>, options?: FieldOptions<T>): Field<T, false>;
export function field<T>(type: Type<T>, options: FieldOptions<T> = {}): Field<T, boolean> {
  return {
    type,
    versions: parseRange(options.versions ?? '0+'),
    nullable: parseRange(options.nullable ?? 'none'),
    // An explicit null default (nullable fields) must survive: only a missing default falls back.
    default: options.default === undefined ? type.zero : options.default,
    tag: options.tag,
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyField = Field<any, boolean> | Type<any>;
type FieldValue<F> =
  F extends Field<infer T, infer N> ? (N extends true ? T | null : T) : F extends Type<infer T> ? T : never;
export type StructValue<S extends Record<string, AnyField>> = { -readonly [K in keyof S]: FieldValue<S[K]> };
export type ValueOf<T> = T extends Type<infer V> ? V : never;

function asField(spec: AnyField): Field<unknown, boolean> {
  return 'versions' in spec ? spec : field(spec as Type<unknown>);
}

function isDefault(value: unknown, reference: unknown): boolean {
  if (value === reference || value === null || value === undefined) return true;
  return Array.isArray(value) && value.length === 0;
}

export function struct<S extends Record<string, AnyField>>(spec: S): Type<StructValue<S>> {
  const fields = Object.entries(spec).map(([name, f]) => ({ name, ...asField(f) }));
  const tagged = fields.filter((f) => f.tag !== undefined).sort((a, b) => a.tag! - b.tag!);
  const plain = fields.filter((f) => f.tag === undefined);

  const zero = Object.fromEntries(fields.map((f) => [f.name, f.default])) as StructValue<S>;

  return {
    typeName: 'struct',
    zero,
    fields,
    read(r, ctx) {
      const value: Record<string, unknown> = {};
      for (const f of plain) {
        value[f.name] = within(f.versions, ctx.version)
          ? f.type.read(r, ctx, within(f.nullable, ctx.version))
          : f.default;
      }
      for (const f of tagged) value[f.name] = f.default;
      if (ctx.flexible) readTaggedFields(r, ctx, tagged, value);
      return value as StructValue<S>;
    },
    write(w, value, ctx) {
      const v = nonNull(value, 'struct') as Record<string, unknown>;
      for (const f of plain) {
        if (within(f.versions, ctx.version)) {
          const fieldValue = v[f.name] === undefined ? f.default : v[f.name];
          f.type.write(w, fieldValue, ctx, within(f.nullable, ctx.version));
        }
      }
      if (ctx.flexible) writeTaggedFields(w, ctx, tagged, v);
    },
  };
}

type NamedField = Field<unknown, boolean> & { name: string };

function readTaggedFields(
  r: Reader,
  ctx: Context,
  tagged: NamedField[],
  into: Record<string, unknown>,
): void {
  const count = r.uvarint();
  let previous = -1;
  for (let i = 0; i < count; i++) {
    const tag = r.uvarint();
    if (tag <= previous) throw new ProtocolError(`tagged fields out of order: ${tag} after ${previous}`);
    previous = tag;
    const size = r.uvarint();
    const data = r.raw(size);
    const f = tagged.find((t) => t.tag === tag);
    if (f && within(f.versions, ctx.version)) {
      into[f.name] = f.type.read(new Reader(data), ctx, within(f.nullable, ctx.version));
    }
    // Unknown tags are skipped: that is what makes them safe to add.
  }
}

function writeTaggedFields(w: Writer, ctx: Context, tagged: NamedField[], value: Record<string, unknown>) {
  const present = tagged.filter(
    (f) => within(f.versions, ctx.version) && !isDefault(value[f.name], f.default),
  );
  w.uvarint(present.length);
  for (const f of present) {
    const sub = new Writer();
    f.type.write(sub, value[f.name], ctx, within(f.nullable, ctx.version));
    const encoded = sub.toBuffer();
    w.uvarint(f.tag!).uvarint(encoded.length).raw(encoded);
  }
}
