import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.ts';

describe('the mail check never loads the password dictionaries', () => {
  it('zxcvbn is only imported dynamically, by the PasswordScorer adapter', () => {
    const bundle = readFileSync(join(repoRoot, 'dist/mamori.js'), 'utf8');
    expect(bundle).not.toMatch(/^import .*["']@zxcvbn-ts\//m);
    expect(bundle).toMatch(/import\(["']@zxcvbn-ts\/core["']\)/);
  });
});
