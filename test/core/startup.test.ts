import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { mamori, repoRoot } from '../helpers/cli.ts';

// `mamori check one.eml` starts on the built knowledge: it reads no YAML and loads neither zod nor the YAML
// parser (the knowledge was validated once, by the build).
const dir = mkdtempSync(join(tmpdir(), 'mamori-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function trace(args: string[]): string[] {
  const file = join(dir, `trace-${Math.random().toString(36).slice(2)}.log`);
  const r = mamori(args, {
    env: {
      MAMORI_TRACE: file,
      MAMORI_HOME: join(dir, 'home'),
      NODE_OPTIONS: `--import=${join(repoRoot, 'test/setup/deny-network.js')} --import=${join(repoRoot, 'test/setup/trace-startup.js')}`,
    },
  });
  expect(r.status, r.stderr).toBe(0);
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

describe('start-up of the check', () => {
  it('reads no YAML and loads neither zod nor the YAML parser', () => {
    const lines = trace(['check', join(repoRoot, 'samples/mail/2-phish-account-suspended.eml'), '--json']);
    expect(lines.some((l) => l.includes('dist/knowledge/check.json'))).toBe(true);
    expect(lines.filter((l) => /\.ya?ml$/.test(l))).toEqual([]);
    expect(lines.filter((l) => /node_modules\/(zod|yaml)\//.test(l))).toEqual([]);
  });

  it('a mail of text alone is checked without loading the PDF or picture readers; a mail with a picture loads them', () => {
    const readers = /node_modules\/(tesseract\.js|jsqr|pngjs|jpeg-js|unpdf)\//;
    const text = trace(['check', join(repoRoot, 'samples/mail/2-phish-account-suspended.eml'), '--json']);
    expect(text.filter((l) => readers.test(l))).toEqual([]);
    const picture = trace([
      'check',
      join(repoRoot, 'test/fixtures/pictures/mail-qr-lookalike.eml'),
      '--json',
    ]);
    expect(picture.some((l) => /node_modules\/jsqr\//.test(l))).toBe(true);
  });

  it('reconcile loads neither the picture readers (tesseract.js, jsQR) nor the local server (hono)', () => {
    const lines = trace([
      'reconcile',
      '--statement',
      join(repoRoot, 'samples/ledger/vpass.csv'),
      '--orders',
      join(repoRoot, 'samples/ledger/amazon-export.zip'),
      '--json',
    ]);
    expect(lines.some((l) => /node_modules\/csv-parse\//.test(l))).toBe(true);
    expect(
      lines.filter((l) => /node_modules\/(tesseract\.js|jsqr|pngjs|jpeg-js|hono|@hono)\//.test(l)),
    ).toEqual([]);
  });

  it('the tracer sees zod, YAML and data/ when a program does load them', () => {
    const file = join(dir, 'trace-self.log');
    const r = spawnSync(
      process.execPath,
      [
        `--import=${join(repoRoot, 'test/setup/trace-startup.js')}`,
        '--input-type=module',
        '-e',
        "import 'zod'; import 'yaml'; import { readFileSync } from 'node:fs'; readFileSync('data/scoring.yaml');",
      ],
      { cwd: repoRoot, env: { ...process.env, MAMORI_TRACE: file }, encoding: 'utf8' },
    );
    expect(r.status, r.stderr).toBe(0);
    const lines = readFileSync(file, 'utf8');
    expect(lines).toMatch(/node_modules\/zod\//);
    expect(lines).toMatch(/node_modules\/yaml\//);
    expect(lines).toMatch(/read data\/scoring\.yaml/);
  });
});
