/**
 * Upcasters: pure functions that finish what Avro schema resolution cannot do for values
 * written with an old schema version. Resolution has already turned the value into the current
 * schema's shape (added fields hold their defaults, removed fields are gone, promotions and
 * aliases applied); an upcaster keyed by (record type, writer version V) derives what the
 * defaults could not, for values written with version V: a field computed from others, a
 * renamed enum symbol, a restructured field.
 *
 * A value written with version V of a type whose current version is C goes through the
 * upcasters of V, V+1, ..., C-1 in order; versions without one are skipped.
 */
export type RecordValue = Record<string, unknown>;
export type Upcaster = (value: RecordValue) => RecordValue;

export interface UpcasterEntry {
  /** Full name of the record type, e.g. `kes.orders.OrderPlaced`. */
  type: string;
  /** The writer version this upcaster fixes values of. */
  fromVersion: number;
  upcast: Upcaster;
}

export class Upcasters {
  private readonly byKey = new Map<string, Upcaster>();

  constructor(entries: UpcasterEntry[] = []) {
    for (const entry of entries) this.register(entry);
  }

  register({ type, fromVersion, upcast }: UpcasterEntry): this {
    const key = `${type}@${fromVersion}`;
    if (this.byKey.has(key)) throw new Error(`an upcaster for ${type} version ${fromVersion} exists already`);
    this.byKey.set(key, upcast);
    return this;
  }

  /** Whether an upcaster for (type, version) exists. */
  has(type: string, fromVersion: number): boolean {
    return this.byKey.has(`${type}@${fromVersion}`);
  }

  /**
   * Applies the upcasters a value written with `writerVersion` needs to reach `currentVersion`.
   * An unknown writer version (undefined) gets none.
   */
  apply(
    type: string,
    writerVersion: number | undefined,
    currentVersion: number,
    value: RecordValue,
  ): RecordValue {
    if (writerVersion === undefined) return value;
    let result = value;
    for (let v = writerVersion; v < currentVersion; v++) {
      const upcast = this.byKey.get(`${type}@${v}`);
      if (upcast) result = upcast(result);
    }
    return result;
  }
}
