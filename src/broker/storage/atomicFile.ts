import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Replaces a file atomically: write a temporary sibling, fsync it, rename it over the target,
 * fsync the directory. A crash leaves either the old or the new content, never a mix.
 */
export function writeFileAtomic(file: string, data: string | Buffer): void {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  fsyncDir(path.dirname(file));
}

export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reads a versioned JSON document written by writeJsonAtomic; undefined if absent. `formatVersion`
 * lists every version the caller still reads when a format has grown.
 */
export function readJson<T extends { formatVersion: number }>(
  file: string,
  formatVersion: number | readonly number[],
): T | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const doc = JSON.parse(text) as T;
  const accepted = typeof formatVersion === 'number' ? [formatVersion] : formatVersion;
  if (!accepted.includes(doc.formatVersion)) {
    throw new Error(`${file}: format version ${doc.formatVersion}, this broker reads ${accepted.join(', ')}`);
  }
  return doc;
}

export function writeJsonAtomic(file: string, doc: { formatVersion: number }): void {
  writeFileAtomic(file, `${JSON.stringify(doc, null, 2)}\n`);
}
