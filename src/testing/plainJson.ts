/**
 * The first place where `value` is not plain JSON data (objects with the plain prototype, arrays,
 * strings, finite numbers, booleans, null), or undefined when all of it is. State is snapshotted
 * as JSON, so anything else would not survive a restore.
 */
export function findNonJson(value: unknown, path = '$'): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${path} is ${value}`;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findNonJson(item, `${path}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value === 'object') {
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      return `${path} is a ${(value as object).constructor.name}, not a plain object`;
    }
    for (const [key, item] of Object.entries(value)) {
      const found = findNonJson(item, `${path}.${key}`);
      if (found) return found;
    }
    return undefined;
  }
  return `${path} is ${typeof value}`;
}
