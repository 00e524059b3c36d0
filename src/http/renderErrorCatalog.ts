import { pathToFileURL } from 'node:url';
import { API_ERRORS } from './apiErrors.js';

/**
 * docs/api-errors.md, rendered from the catalog: every code with its HTTP status and meaning,
 * by status. `npm run docs:errors` writes it; renderErrorCatalog.unit.spec.ts keeps the file equal
 * to what this renders, so the page cannot drift from the catalog.
 */
export function renderErrorCatalog(): string {
  const rows = Object.entries(API_ERRORS)
    .map(([code, { status, description }]) => ({ code, status, description }))
    .sort((a, b) => a.status - b.status); // stable: catalog order within a status
  return [
    '# API errors',
    '',
    '<!-- Generated from src/http/apiErrors.ts by `npm run docs:errors`: edit the catalog, not this page. -->',
    '',
    'Every error the HTTP API answers with carries a stable `code`, and the code decides the HTTP status. The',
    'body is JSON: the code, a human-readable `message`, and details some codes add (such as `field`):',
    '',
    '```json',
    '{ "code": "INVALID_PAYLOAD", "message": "items.0.quantity: expected int, got \\"two\\"", "field": "items.0.quantity" }',
    '```',
    '',
    '| Code | HTTP status | Meaning |',
    '| --- | --- | --- |',
    ...rows.map((r) => `| \`${r.code}\` | ${r.status} | ${r.description.replaceAll('|', '\\|')} |`),
    '',
  ].join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(renderErrorCatalog());
}
