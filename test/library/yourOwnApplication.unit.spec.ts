import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * docs/your-own-application.md shows the application the pack test installs kes into and runs
 * (test/library/fixture): every file of it, verbatim, in a code block whose info string names it
 * (```ts src/books.ts). A change to either shows here.
 */
const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../docs/your-own-application.md'), 'utf8');
const fixture = path.join(import.meta.dirname, 'fixture');

const shown = new Map(
  [...doc.matchAll(/^```\w+ (\S+)\n([\s\S]*?)^```$/gm)].map(([, file, text]) => [file!, text!]),
);

function filesUnder(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = `${prefix}${entry.name}`;
    return entry.isDirectory() ? filesUnder(path.join(dir, entry.name), `${relative}/`) : [relative];
  });
}

describe('docs/your-own-application.md', () => {
  it('shows every file of the application, and no other', () => {
    expect([...shown.keys()].sort()).toEqual(filesUnder(fixture).sort());
  });

  it.each(filesUnder(fixture))('shows %s as it is', (file) => {
    expect(shown.get(file)).toBe(fs.readFileSync(path.join(fixture, file), 'utf8'));
  });
});
