import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

/**
 * Builds the console (src/console/web, Preact) into `dist/console`: one minified script and one
 * stylesheet beside index.html, nothing loaded from elsewhere (the console works offline). Run at
 * package time (`npm run build`), by `npm start` and before the tests.
 */
export async function buildConsole(
  out = path.resolve(import.meta.dirname, '../../dist/console'),
): Promise<void> {
  const web = path.join(import.meta.dirname, 'web');
  await fs.rm(out, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: { console: path.join(web, 'main.tsx') },
    outdir: path.join(out, 'console'),
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['chrome110', 'firefox110', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'linked',
    logLevel: 'warning',
  });
  await fs.copyFile(path.join(web, 'index.html'), path.join(out, 'index.html'));
}

if (import.meta.url === `file://${process.argv[1]}`) await buildConsole();
