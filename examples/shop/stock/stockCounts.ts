/** The largest Avro int: no count of units (stock, quantity, available) may exceed it. */
export const MAX_UNITS = 2_147_483_647;

/** A whole number of units from `min` (1 by default) to MAX_UNITS. */
export function isUnitCount(value: number, min = 1): boolean {
  return Number.isInteger(value) && value >= min && value <= MAX_UNITS;
}
