import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIFFERENCES } from './differences.js';
import { DOC, withDifferences } from './renderDifferences.js';

describe('the catalog of differences between the registries', () => {
  it('docs/registry-vs-apicurio.md shows it as it is (run `npm run docs:registry-differences` after changing it)', () => {
    const page = fs.readFileSync(DOC, 'utf8');
    expect(page).toBe(withDifferences(page));
  });

  it('names in a test every difference not fixed, so each is asserted on the registry that has it', () => {
    const suite = fs
      .readdirSync(import.meta.dirname)
      .filter((file) => file.endsWith('Conformance.ts'))
      .map((file) => fs.readFileSync(path.join(import.meta.dirname, file), 'utf8'))
      .join('\n');
    const unasserted = Object.entries(DIFFERENCES)
      .filter(([id, d]) => !d.outcome.startsWith('fixed') && !suite.includes(`['${id}',`))
      .map(([id]) => id);
    expect(unasserted).toEqual([]);
  });
});
