import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIFFERENCES } from './differences.js';

/** The page that shows the catalog; the table sits between these two markers. */
export const DOC = path.resolve(import.meta.dirname, '../../../docs/registry-vs-apicurio.md');
const START = '<!-- differences:start -->';
const END = '<!-- differences:end -->';

const cell = (text: string) => text.replaceAll('|', '\\|');

/** The table of differences, one row per entry of the catalog, in its order. */
export function renderDifferences(): string {
  return [
    START,
    '<!-- Generated from test/registry/conformance/differences.ts by `npm run docs:registry-differences`. -->',
    '',
    '| Difference | Request | Confluent documentation | kes | Apicurio 3.3 | Outcome |',
    '| --- | --- | --- | --- | --- | --- |',
    ...Object.entries(DIFFERENCES).map(
      ([id, d]) =>
        `| \`${id}\` | ${cell(d.endpoint)} | ${cell(d.confluent)} | ${cell(d.kes)} | ${cell(d.apicurio)} | ${cell(d.outcome)} |`,
    ),
    END,
  ].join('\n');
}

/** The page with its table replaced by what the catalog renders. */
export function withDifferences(page: string): string {
  const start = page.indexOf(START);
  const end = page.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${DOC} has no ${START} … ${END} section`);
  return page.slice(0, start) + renderDifferences() + page.slice(end + END.length);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  fs.writeFileSync(DOC, withDifferences(fs.readFileSync(DOC, 'utf8')));
}
