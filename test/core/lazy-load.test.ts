import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.ts';

describe('the mail check never loads the password dictionaries', () => {
  it('zxcvbn is only imported dynamically, by the PasswordScorer adapter', () => {
    // The CLI is split into dist/mamori.js and its chunks in dist/cli/: none may import zxcvbn statically.
    const files = ['dist/mamori.js', ...readdirSync(join(repoRoot, 'dist/cli')).map((f) => `dist/cli/${f}`)];
    const bundle = files
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(repoRoot, f), 'utf8'))
      .join('\n');
    expect(bundle).not.toMatch(/^import .*["']@zxcvbn-ts\//m);
    expect(bundle).toMatch(/import\(["']@zxcvbn-ts\/core["']\)/);
  });
});
