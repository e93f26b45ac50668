import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// src/core is pure: parsing, rules, reconciliation and planning take values in and give values out.
// Anything that touches the disk, the network, the clock or the database lives in src/adapters, so
// core can be tested without a machine and can never leak a user's data by accident.
const coreForbidden = [
  { name: 'fs', message: 'src/core does no I/O: read files in src/adapters and pass the bytes in.' },
  { name: 'node:fs', message: 'src/core does no I/O: read files in src/adapters and pass the bytes in.' },
  { name: 'node:fs/promises', message: 'src/core does no I/O: read files in src/adapters.' },
  { name: 'node:net', message: 'src/core never opens sockets: the network belongs to an adapter.' },
  { name: 'node:dns', message: 'src/core never resolves names: inject a DnsResolver port.' },
  { name: 'node:dns/promises', message: 'src/core never resolves names: inject a DnsResolver port.' },
  { name: 'node:http', message: 'src/core never opens sockets.' },
  { name: 'node:https', message: 'src/core never opens sockets.' },
  { name: 'node:child_process', message: 'src/core never runs programs.' },
  { name: 'node:process', message: 'src/core does not read the environment: pass settings in.' },
  { name: 'better-sqlite3', message: 'src/core never touches the database: use the Store port.' },
  { name: 'imapflow', message: 'src/core never touches IMAP: use the MailSource port.' },
  { name: 'mailauth', message: 'live mail authentication is an adapter (it resolves DNS).' },
];

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
            { group: ['#adapters/*', '#interfaces/*'], message: 'src/core must not depend on outer layers.' },
            { group: ['../../*'], message: 'Use subpath imports (#core/…).' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'src/core does not read the environment: pass settings in.' },
        { name: 'fetch', message: 'src/core never fetches: nothing leaves the machine.' },
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
            { group: ['#interfaces/*'], message: 'adapters must not depend on interfaces.' },
            { group: ['../../*'], message: 'Use subpath imports.' },
          ],
        },
      ],
    },
  },
);
