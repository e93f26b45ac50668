import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { pathImportSource } from '#adapters/import/path-source.ts';
import { importFiles } from '#core/app/import-files.ts';
import { MemoryStore } from '#core/store/memory-store.ts';
import { mamori } from '../helpers/cli.ts';
import { knowledge } from '../helpers/ledger.ts';

const HEADER = 'Order ID,Order Date,Total Amount,Ship Date,Currency,Website,Product Name\n';
const ROW = (n: number) =>
  `249-0000000-000000${n},2026-10-01T03:00:00Z,1000,2026-10-02T00:00:00Z,JPY,Amazon.co.jp,本 ${n}\n`;
const csv = HEADER + Array.from({ length: 200 }, (_, i) => ROW(i % 10)).join('');

function zipOf(text: string): Uint8Array {
  return zipSync({ 'Your Amazon Orders/Order History.csv': strToU8(text) }, { level: 6 });
}

/** The central directory says the entry is smaller than it is: yauzl's size check must catch the lie. */
function lyingSizes(z: Uint8Array): Uint8Array {
  const out = z.slice();
  const view = new DataView(out.buffer);
  for (let i = out.length - 22; i >= 0; i--)
    if (view.getUint32(i, true) === 0x02014b50) {
      view.setUint32(i + 24, 10, true);
      break;
    }
  for (let i = 0; i < out.length - 4; i++)
    if (view.getUint32(i, true) === 0x04034b50) {
      view.setUint32(i + 22, 10, true);
      break;
    }
  return out;
}

function corruptDeflate(z: Uint8Array): Uint8Array {
  const out = z.slice();
  const nameLen = new DataView(out.buffer).getUint16(26, true);
  const start = 30 + nameLen;
  for (let i = start + 10; i < start + 60; i++) out[i] = 0xff;
  return out;
}

function damagedFiles(dir: string) {
  const files = {
    unclosed: join(dir, 'Order History.csv'),
    deflate: join(dir, 'deflate.zip'),
    sizes: join(dir, 'sizes.zip'),
    good: join(dir, 'good.zip'),
  };
  // A quote opened at the start of a field and never closed: csv-parse gives up at the end of the file.
  writeFileSync(
    files.unclosed,
    HEADER +
      ROW(1) +
      '249-0000000-0000003,2026-10-01T03:00:00Z,1000,2026-10-02T00:00:00Z,JPY,Amazon.co.jp,"本 3\n' +
      ROW(4),
  );
  writeFileSync(files.deflate, corruptDeflate(zipOf(csv)));
  writeFileSync(files.sizes, lyingSizes(zipOf(csv)));
  writeFileSync(files.good, zipOf(HEADER + ROW(7)));
  return files;
}

describe('damaged files are problems, not crashes', () => {
  it('importFiles: each damaged file is a problem value, the good one is stored', async () => {
    const f = damagedFiles(mkdtempSync(join(tmpdir(), 'mamori-damaged-')));
    const store = new MemoryStore();
    const outcomes = await importFiles(
      store,
      [f.unclosed, f.deflate, f.sizes, f.good].map((file) => ({
        file,
        source: pathImportSource(file, knowledge.reconcile.importLimits),
      })),
      { knowledge },
    );
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.problem.code))).toEqual([
      'damaged',
      'zip-corrupt',
      'zip-corrupt',
      'ok',
    ]);
    for (const o of outcomes) if (!o.ok) expect(o.problem.file).toContain(o.file);
    expect(store.counts().lines).toBe(1);
    expect(store.orderHistory().has('249-0000000-0000007')).toBe(true);
  });

  it('mamori import: a message per damaged file, no stack trace, the other files imported, exit 1', () => {
    const f = damagedFiles(mkdtempSync(join(tmpdir(), 'mamori-damaged-')));
    const home = mkdtempSync(join(tmpdir(), 'mamori-home-'));
    const r = mamori(['import', f.unclosed, f.deflate, f.sizes, f.good], { env: { MAMORI_HOME: home } });
    expect(r.status).toBe(1);
    expect(r.stderr).not.toMatch(/\n\s+at |Error:|CsvError|SqliteError/);
    expect(r.stderr).toContain('ファイルが壊れているため読み込めませんでした');
    expect(r.stderr.match(/zip ファイルが壊れているか/g)).toHaveLength(2);
    expect(r.stderr.match(/何も保存していません/g)).toHaveLength(3);
    expect(r.stdout).toContain(`${f.good}: 1 件を追加しました`);
  });
});
