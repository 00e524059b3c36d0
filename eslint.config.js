import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

/**
 * The layers of the runtime (src/<folder>) and what each may import: lower layers never import
 * higher ones, query and views code never imports http (its errors are its own types, mapped to
 * API errors in src/http), and no file of the runtime imports an example. A folder not listed
 * here is refused until it is given its place.
 */
const LAYERS = {
  errors: [],
  config: ['errors', 'kafka'],
  topology: [],
  kafka: ['errors'],
  state: ['errors', 'kafka'],
  broker: ['errors', 'config', 'kafka'],
  registry: ['errors', 'config', 'kafka'],
  serde: ['errors', 'config', 'domain', 'registry', 'topology'],
  tracing: ['processor'],
  processor: ['errors', 'kafka', 'serde', 'state', 'topology', 'tracing'],
  domain: ['errors'],
  commands: ['errors', 'domain', 'kafka', 'processor', 'serde', 'state'],
  policies: ['commands', 'domain', 'processor', 'serde'],
  views: ['errors', 'commands', 'domain', 'kafka', 'processor', 'serde', 'state', 'topology'],
  query: ['errors', 'commands', 'domain', 'processor', 'serde', 'state', 'topology', 'views'],
  ops: ['errors', 'kafka', 'processor', 'topology'],
  http: [
    'errors',
    'commands',
    'domain',
    'kafka',
    'ops',
    'processor',
    'query',
    'serde',
    'state',
    'topology',
    'tracing',
    'views',
  ],
  app: [
    'errors',
    'commands',
    'config',
    'domain',
    'http',
    'kafka',
    'ops',
    'policies',
    'processor',
    'query',
    'serde',
    'topology',
    'views',
  ],
  cli: [
    'errors',
    'app',
    'broker',
    'commands',
    'config',
    'domain',
    'kafka',
    'ops',
    'registry',
    'serde',
    'topology',
    'tracing',
    'views',
  ],
  // kes/testing: the test kit of applications.
  testing: ['domain'],
  // The console: its build (esbuild) and its browser code, which reaches kes only over HTTP.
  console: [],
};

/** The package's entry points: `kes` (src/index.ts) may export from every layer. */
const ENTRY = { type: 'entry', pattern: 'src', partialMatch: false };

const elements = [
  ...Object.keys(LAYERS).map((layer) => ({ type: layer, pattern: `src/${layer}/**`, partialMatch: false })),
  { type: 'examples', pattern: 'examples/**', partialMatch: false },
  { type: 'examples', pattern: 'topology/**', partialMatch: false },
  // Last: what no layer claims, the files at the root of src/ (index.ts).
  ENTRY,
];

/** The names of error catalogs, which the lint requires be defined with defineErrorCatalog. */
const CATALOG_NAME = '/_(ERRORS|REJECTIONS|CODES)$/';

const settings = {
  // Imports name the compiled .js files: resolved to their .ts sources as TypeScript does.
  'import/resolver': { typescript: { project: 'tsconfig.json' } },
  'boundaries/elements': elements,
};

export default tseslint.config(
  { ignores: ['dist/**', 'data/**', 'node_modules/**', 'coverage/**', '.scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // The runtime's own code (its tests may reach for test support and the examples).
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.spec.ts', 'src/*/**/testing/**'],
    plugins: { boundaries },
    settings,
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          policies: [
            {
              from: { element: { type: 'entry' } },
              allow: { to: { element: { types: { anyOf: Object.keys(LAYERS) } } } },
            },
            ...Object.entries(LAYERS).map(([layer, allowed]) => ({
              from: { element: { type: layer } },
              allow: { to: { element: { types: { anyOf: [layer, ...allowed] } } } },
            })),
          ],
        },
      ],
    },
  },
  {
    // The examples are applications written against the public API only: `kes` (src/index.ts) and
    // `kes/testing` (src/testing/index.ts), as an application that installs kes from npm.
    files: ['examples/**/*.ts', 'topology/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    plugins: { boundaries },
    settings,
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          policies: [
            {
              from: { element: { type: 'examples' } },
              allow: { to: { element: { types: { anyOf: ['examples', 'entry'] } } } },
            },
            {
              from: { element: { type: 'examples' } },
              allow: { to: { element: { type: 'testing' }, file: { path: 'src/testing/index.ts' } } },
            },
          ],
        },
      ],
    },
  },
  {
    // Every error catalog — the API's, the registry's, the layers' errors, the command result
    // codes, the domains' rejections — is defined with defineErrorCatalog (src/errors/errorCatalog.ts),
    // which checks its codes and one-line descriptions when the module loads: a module-level
    // constant named like a catalog (`*_ERRORS`, `*_REJECTIONS`, `*_CODES`) is its call, nothing else.
    files: ['**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: `:matches(Program, Program > ExportNamedDeclaration) > VariableDeclaration > VariableDeclarator[id.name=${CATALOG_NAME}]:not([init.type='CallExpression'][init.callee.name='defineErrorCatalog'])`,
          message:
            'An error catalog (a module-level *_ERRORS, *_REJECTIONS or *_CODES) is defined with defineErrorCatalog(name, entries, options?), which checks its codes and descriptions.',
        },
      ],
    },
  },
);
