/**
 * A view row as stored: the row, and the version of the last event applied from each source
 * aggregate (`<domain>/<id>` → sequence), which guards it against replays and duplicates — an event
 * at or below the version already applied from its aggregate changes nothing.
 */
export interface StoredRow<Row = unknown> {
  readonly row: Row;
  readonly versions: Readonly<Record<string, number>>;
}

export function encodeRow(stored: StoredRow): Buffer {
  return Buffer.from(JSON.stringify(stored));
}

export function decodeRow<Row>(value: Buffer): StoredRow<Row> {
  return JSON.parse(value.toString('utf8')) as StoredRow<Row>;
}

/**
 * Whether `next` carries anything `current` lacks: some source aggregate at a higher version.
 * Rows only move forward per aggregate, so a later row never has a lower version anywhere.
 */
export function isNewer(next: StoredRow['versions'], current: StoredRow['versions'] | undefined): boolean {
  if (!current) return true;
  return Object.entries(next).some(([source, version]) => version > (current[source] ?? 0));
}
