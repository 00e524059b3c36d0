import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_ERRORS } from './apiErrors.js';
import { renderErrorCatalog } from './renderErrorCatalog.js';

const DOC = path.join(import.meta.dirname, '../../docs/api-errors.md');

describe('the error catalog page', () => {
  it('docs/api-errors.md is what the catalog renders (run `npm run docs:errors` after changing it)', () => {
    expect(fs.readFileSync(DOC, 'utf8')).toBe(renderErrorCatalog());
  });

  it('documents every code with its status and meaning, once', () => {
    const page = renderErrorCatalog();
    for (const [code, { status, description }] of Object.entries(API_ERRORS)) {
      const rows = page.split('\n').filter((line) => line.startsWith(`| \`${code}\` |`));
      expect(rows, code).toEqual([`| \`${code}\` | ${status} | ${description} |`]);
    }
  });

  it('lists the codes by status', () => {
    const statuses = [...renderErrorCatalog().matchAll(/^\| `[A-Z_]+` \| (\d{3}) \|/gm)].map((m) =>
      Number(m[1]),
    );
    expect(statuses).toHaveLength(Object.keys(API_ERRORS).length);
    expect(statuses).toEqual([...statuses].sort((a, b) => a - b));
  });
});
