import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// src/core is pure: parsing, rules, reconciliation and planning take values in and give values out.
// Anything that touches the disk, the network, the clock or the database lives in src/adapters, so
// core can be tested without a machine and can never leak a user's data by accident.
const coreForbidden = [
  { name: 'better-sqlite3', message: 'src/core never touches the database: use the Store port.' },
  { name: 'imapflow', message: 'src/core never touches IMAP: use the MailSource port.' },
  { name: 'mailauth', message: 'live mail authentication is an adapter (it resolves DNS).' },
  { name: 'yauzl', message: 'src/core never reads zips: use the Archive port.' },
  { name: 'csv-parse', message: 'use csv-parse/browser/esm/sync in core: the Node build needs Buffer.' },
  { name: 'csv-parse/sync', message: 'use csv-parse/browser/esm/sync in core: the Node build needs Buffer.' },
  { name: 'pdfkit', message: 'PDF rendering is an adapter.' },
  { name: '@kenjiuno/msgreader', message: 'the .msg reader needs Node (Buffer): it is an adapter.' },
  ...builtinModules
    .filter((m) => !m.startsWith('_'))
    .map((m) => ({
      name: m,
      message: 'src/core runs in a browser and a Web Worker too: no Node modules (use a port or an adapter).',
    })),
];

// Import patterns use gitignore syntax, where a leading `#` starts a comment: the subpath imports are matched by
// regular expressions instead.
const outerLayers = {
  regex: '^#(adapters|interfaces)/',
  message: 'src/core must not depend on outer layers.',
};
const nodeScheme = {
  regex: '^node:',
  message: 'src/core runs in a browser and a Web Worker too: no node:* modules (use a port or an adapter).',
};

// eslint's flat config is loaded from the default export; the one default export the project allows.
// eslint-disable-next-line no-restricted-syntax
export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.bench/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../../*'], message: 'Use subpath imports (#core/…, #adapters/…).' }] },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Named exports only.' },
      ],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: coreForbidden,
          patterns: [
            outerLayers,
            nodeScheme,
            { group: ['../../*'], message: 'Use subpath imports (#core/…).' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'src/core does not read the environment: pass settings in.' },
        { name: 'fetch', message: 'src/core never fetches: nothing leaves the machine.' },
        { name: 'XMLHttpRequest', message: 'src/core never fetches: nothing leaves the machine.' },
        { name: 'WebSocket', message: 'src/core never opens sockets.' },
        {
          name: 'Buffer',
          message: 'src/core works on Uint8Array (see #core/bytes.ts): Buffer exists only in Node.',
        },
        { name: 'console', message: 'src/core returns values; the interfaces print them.' },
        { name: 'require', message: 'src/core is ESM.' },
        { name: 'global', message: 'use globalThis, and only for standard Web globals.' },
        { name: '__dirname', message: 'src/core does not know where it is on disk.' },
        { name: '__filename', message: 'src/core does not know where it is on disk.' },
        { name: 'setImmediate', message: 'Node-only timer: core is synchronous or takes a scheduler.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'src/core takes the time from a Clock port.' },
        { object: 'Math', property: 'random', message: 'src/core is deterministic.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Named exports only.' },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'src/core takes the time from a Clock port, never from the system.',
        },
        {
          selector: 'ImportExpression',
          message:
            'no dynamic import() in src/core: what it loads must be bundled for the browser; load lazily in an adapter.',
        },
        {
          selector:
            "MemberExpression[object.name='globalThis'][property.name=/^(process|Buffer|require|console)$/]",
          message: 'src/core does not reach Node globals through globalThis.',
        },
      ],
    },
  },
  {
    // The check runs on every mail, in the CLI, the browser and the watcher: it must not load zod. Schemas are
    // for the knowledge build (detectors/params.ts, rule-validation.ts); the check imports their types only.
    files: ['src/core/check/**/*.ts'],
    ignores: [
      'src/core/check/**/*.test.ts',
      'src/core/check/detectors/params.ts',
      'src/core/check/rule-validation.ts',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'zod',
              message: 'validate in the knowledge build, not per mail.',
              allowTypeImports: true,
            },
            ...['#core/knowledge/schema.ts', '#core/knowledge/compile.ts'].map((name) => ({
              name,
              message:
                'it loads zod: import its types only (runtime constants are in knowledge/constants.ts).',
              allowTypeImports: true,
            })),
          ],
          patterns: [
            {
              group: ['**/params.ts', '**/rule-validation.ts'],
              message: 'parameter schemas are for the knowledge build: import their types only.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/adapters/**/*.ts'],
    ignores: ['src/adapters/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^#interfaces/', message: 'adapters must not depend on interfaces.' },
            { group: ['../../*'], message: 'Use subpath imports.' },
          ],
        },
      ],
    },
  },
);
