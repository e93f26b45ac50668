import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mamori, repoRoot, type Run } from '../helpers/cli.ts';

const tripwire = fileURLToPath(new URL('../setup/deny-network.js', import.meta.url));

/** A child process that runs while the test goes on; `done` resolves with its result. */
function background(args: string[], env: Record<string, string>, ready?: RegExp) {
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', NODE_OPTIONS: `--import=${tripwire}`, ...env },
  });
  let stdout = '';
  let stderr = '';
  let signal: () => void = () => {};
  const isReady = new Promise<void>((r) => (signal = r));
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (ready?.test(stdout)) signal();
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Run>((resolve) =>
    child.on('close', (status) => resolve({ status, stdout, stderr })),
  );
  return { done, isReady };
}

function bigExport(dir: string, rows: number): string {
  const out = ['Order ID,Order Date,Total Amount,Ship Date,Currency,Website,Product Name'];
  for (let i = 0; i < rows; i++)
    out.push(
      `249-${String(1_000_000 + (i >> 1)).padStart(7, '0')}-${String(i).padStart(7, '0')},2026-10-01T03:00:00Z,${1000 + (i % 500)},2026-10-02T00:00:00Z,JPY,Amazon.co.jp,商品 ${i}`,
    );
  const file = join(dir, 'Order History.csv');
  writeFileSync(file, out.join('\n') + '\n');
  return file;
}

const scen = (n: string, f: string) => `test/fixtures/ledger/scenarios/${n}/${f}`;

describe('one store shared by several processes', () => {
  it('a long import runs while check, case list, reconcile and case event run: all succeed, the event is kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mamori-shared-'));
    const env = { MAMORI_HOME: join(dir, 'home'), MAMORI_TODAY: '2026-11-21' };
    expect(mamori(['import', scen('household', 'rakuten-card.csv')], { env }).status).toBe(0);
    expect(mamori(['case', 'new', '--situation', 'unknown-charge'], { env }).status).toBe(0);
    const file = bigExport(dir, 200_000);

    const long = background([`${repoRoot}/bin/mamori.js`, 'import', file], env);
    const runs: [string, Run][] = [];
    for (let i = 0; i < 2; i++) {
      runs.push([
        'check',
        mamori(['check', 'test/fixtures/mail/phish/jp-order-cancel-unknown-order.eml'], { env }),
      ]);
      runs.push(['case list', mamori(['case', 'list', '--json'], { env })]);
      runs.push(['reconcile', mamori(['reconcile', '--json'], { env })]);
      runs.push([
        'case event',
        mamori(['case', 'event', 'C-20261121-1', 'contacted-card', '--note', `call ${i}`], { env }),
      ]);
    }
    const imported = await long.done;
    for (const [what, r] of runs) {
      expect(r.status, `${what}: ${r.stderr}`).toBe(0);
      expect(r.stderr).not.toMatch(/SqliteError|database is locked|at .*\.js:\d+/);
    }
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('200000 件を追加しました');
    const shown = JSON.parse(mamori(['case', 'show', 'C-20261121-1', '--json'], { env }).stdout);
    expect(shown.events.filter((e: { note?: string }) => e.note?.startsWith('call '))).toHaveLength(2);
  }, 120_000);

  it('a writer that finds the store locked waits, says so in the person’s language, and then writes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mamori-locked-'));
    const home = join(dir, 'home');
    const env = { MAMORI_HOME: home, MAMORI_TODAY: '2026-11-21' };
    expect(mamori(['case', 'new', '--situation', 'unknown-charge'], { env }).status).toBe(0);
    // Another writer holds the lock longer than SQLite's own busy timeout (5 s) would wait.
    const holder = background(
      [
        '-e',
        `const D = require('better-sqlite3'); const db = new D(${JSON.stringify(join(home, 'mamori.db'))});
         db.exec('BEGIN IMMEDIATE'); console.log('locked');
         setTimeout(() => { db.exec('COMMIT'); db.close(); }, 6000);`,
      ],
      env,
      /locked/,
    );
    await holder.isReady;
    const started = Date.now();
    const event = background(
      [`${repoRoot}/bin/mamori.js`, 'case', 'event', 'C-20261121-1', 'card-stopped', '--note', '受付 A-1'],
      env,
    );
    const r = await event.done;
    expect((await holder.done).status).toBe(0);
    expect(r.status, r.stderr).toBe(0);
    expect(Date.now() - started).toBeGreaterThan(4000);
    expect(r.stderr).toContain('別の取り込みが実行中です');
    expect(r.stderr).not.toMatch(/SqliteError|database is locked/);
    const en = mamori(['case', 'list', '--lang', 'en'], { env });
    expect(en.status).toBe(0);
    const shown = JSON.parse(mamori(['case', 'show', 'C-20261121-1', '--json'], { env }).stdout);
    expect(shown.events.map((e: { kind: string }) => e.kind)).toContain('card-stopped');
  }, 60_000);
});
