import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';

// The layer rules in eslint.config.js, proven to fire: each probe is written to a real file inside the layer it
// breaks and linted with the project's own configuration.
const root = join(import.meta.dirname, '..', '..');
const written: string[] = [];
const eslint = new ESLint({ cwd: root });

async function lintProbe(layer: 'core' | 'adapters', code: string) {
  const file = join(root, 'src', layer, `zz-lint-probe-${randomBytes(4).toString('hex')}.ts`);
  written.push(file);
  writeFileSync(file, code);
  const [result] = await eslint.lintFiles([file]);
  rmSync(file, { force: true });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

afterAll(() => {
  for (const f of written) rmSync(f, { force: true });
});

describe('layer boundaries are enforced by lint', () => {
  const coreProbes: [string, string, RegExp][] = [
    [
      'an adapter import',
      "import { Store } from '#adapters/store/store.ts';\nexport type S = Store;\n",
      /no-restricted-imports: .*src\/core must not depend on outer layers/,
    ],
    [
      'an interface import',
      "import { main } from '#interfaces/cli/main.ts';\nexport const m = main;\n",
      /outer layers/,
    ],
    [
      'a node: module',
      "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
      /no-restricted-imports: .*no node:\* modules/,
    ],
    [
      'a bare Node builtin',
      "import { join } from 'path';\nexport const j = join;\n",
      /no-restricted-imports: .*no Node modules/,
    ],
    [
      'csv-parse’s Node build',
      "import { parse } from 'csv-parse/sync';\nexport const p = parse;\n",
      /no-restricted-imports: .*browser/,
    ],
    ['Buffer', "export const b = Buffer.from('a');\n", /no-restricted-globals: .*Uint8Array/],
    ['process', 'export const e = process.env;\n', /no-restricted-globals: .*environment/],
    ['console', "console.log('x');\nexport {};\n", /no-restricted-globals: .*interfaces print/],
    [
      'a dynamic import()',
      "export const y = () => import('yaml');\n",
      /no-restricted-syntax: no dynamic import/,
    ],
    ['the clock', 'export const t = Date.now();\n', /no-restricted-properties: .*Clock/],
  ];
  for (const [what, code, expected] of coreProbes) {
    it(`src/core refuses ${what}`, async () => {
      const messages = await lintProbe('core', code);
      expect(messages.join('\n')).toMatch(expected);
    });
  }

  it('src/adapters refuses an interface import', async () => {
    const messages = await lintProbe(
      'adapters',
      "import { main } from '#interfaces/cli/main.ts';\nexport const m = main;\n",
    );
    expect(messages.join('\n')).toMatch(/adapters must not depend on interfaces/);
  });

  it('a clean core module passes', async () => {
    expect(await lintProbe('core', 'export const double = (n: number): number => n * 2;\n')).toEqual([]);
  });
});
