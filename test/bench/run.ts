/**
 * Benchmark runner: `npm run bench -- <name>` runs test/bench/<name>.ts, which prints one JSON
 * line of results on stdout (diagnostics go to stderr).
 */
// First, before anything loads KafkaJS: kes's fixes to it (src/kafka/kafkaJsFixes.ts).
import '../../src/kafka/kafkaJsFixes.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const name = process.argv[2];
const available = fs
  .readdirSync(import.meta.dirname)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.includes('.spec.'))
  .map((f) => f.replace(/\.ts$/, ''));
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <${available.join('|')}>`);
  process.exit(2);
}
const bench = (await import(pathToFileURL(path.join(import.meta.dirname, `${name}.ts`)).href)) as {
  main: (args: string[]) => Promise<Record<string, unknown>>;
};
const result = await bench.main(process.argv.slice(3));
console.log(JSON.stringify(result));
process.exit(0);
