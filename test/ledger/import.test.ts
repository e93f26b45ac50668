import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ImportError, importPath } from '#adapters/import/importer.ts';
import { Store } from '#adapters/store/store.ts';
import { repoRoot } from '../helpers/cli.ts';
import { knowledge } from '../helpers/ledger.ts';

const scen = (n: string, f: string) => join(repoRoot, 'test/fixtures/ledger/scenarios', n, f);
const st = (f: string) => join(repoRoot, 'test/fixtures/ledger/statements', f);

async function importInto(store: Store, file: string) {
  return store.importFile(file, 'test', (sink) =>
    importPath(file, sink, { knowledge }).then(() => undefined),
  );
}

describe('import into the SQLite store', () => {
  it('the same export twice changes nothing', async () => {
    const store = new Store(join(mkdtempSync(join(tmpdir(), 'mamori-')), 'm.db'));
    const first = await importInto(store, scen('household', 'amazon-export.zip'));
    expect(first.added).toBeGreaterThan(0);
    const before = store.counts();
    const second = await importInto(store, scen('household', 'amazon-export.zip'));
    expect(second.added).toBe(0);
    expect(store.counts()).toEqual(before);
    expect(store.db.prepare('SELECT COUNT(*) FROM imports').pluck().get()).toBe(1);
    store.close();
  });

  it('a cumulative export adds only what is new', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mamori-'));
    const header = 'Order ID,Order Date,Total Amount,Ship Date,Currency,Website,Product Name\n';
    const r1 = '249-0000000-0000001,2026-10-01T03:00:00Z,1000,2026-10-02T00:00:00Z,JPY,Amazon.co.jp,本\n';
    const r2 = '249-0000000-0000002,2026-11-01T03:00:00Z,2000,2026-11-02T00:00:00Z,JPY,Amazon.co.jp,ペン\n';
    writeFileSync(
      join(dir, 'oct.zip'),
      zipSync({ 'Your Amazon Orders/Order History.csv': strToU8(header + r1) }),
    );
    writeFileSync(
      join(dir, 'nov.zip'),
      zipSync({ 'Your Amazon Orders/Order History.csv': strToU8(header + r1 + r2) }),
    );
    const store = Store.memory();
    expect((await importInto(store, join(dir, 'oct.zip'))).added).toBe(1);
    expect(await importInto(store, join(dir, 'nov.zip'))).toEqual({ added: 1, unchanged: 1 });
    expect(store.counts().orders).toBe(2);
    store.close();
  });

  it('every imported row keeps where it came from', async () => {
    const store = Store.memory();
    await importInto(store, scen('household', 'amazon-export.zip'));
    const line = store.load().lines[0]!;
    expect(line.source.file).toMatch(
      /amazon-export\.zip!Your Orders\.zip!Your Amazon Orders\/Order History\.csv$/,
    );
    expect(line.source.row).toBeGreaterThan(1);
    store.close();
  });

  it('reads an unpacked export folder and the generation-1 layout', async () => {
    const store = Store.memory();
    await importInto(store, scen('household', 'export-folder'));
    await importInto(store, scen('hijacked', 'amazon-export.zip'));
    expect(store.counts().orders).toBe(6 - 1 + 9); // the folder holds the retail CSV only (5 orders)
    store.close();
  });

  it('Refund Details rows repeated per return request count once', async () => {
    const store = Store.memory();
    await importInto(store, scen('household', 'amazon-export.zip'));
    expect(store.counts().refunds).toBe(1);
    store.close();
  });

  it('imports the legacy Order History Reports and the JP extension CSV', async () => {
    const store = Store.memory();
    for (const f of [
      'us_amazon_legacy_order_history_report_items.csv',
      'us_amazon_legacy_order_history_report_shipments.csv',
      'us_amazon_legacy_order_history_report_refunds.csv',
      'jp_amazon_cojp_orderhistoryfilter_ext_202012.csv',
    ])
      await importInto(store, join(repoRoot, 'test/fixtures/ledger/shared', f));
    const data = store.load();
    expect(data.lines.find((l) => l.orderId === '123-7654321-1234567')).toMatchObject({
      amount: 21.75,
      currency: 'USD',
      shipDate: '2020-01-06',
      orderAt: '2020-01-03T00:00',
    });
    expect(data.payments.find((p) => p.orderId === '234-5678901-2345678')).toMatchObject({
      date: '2020-12-08',
      amount: 7500,
    });
    expect(data.refunds.map((r) => r.amount).sort((a, b) => a - b)).toEqual([18.99, 75.98, 159.96]);
    store.close();
  });

  for (const [file, code] of [
    ['truncated-export.zip', 'zip-corrupt'],
    ['bomb.zip', 'zip-bomb'],
    ['empty.csv', 'empty'],
    ['wrong-encoding.csv', 'encoding'],
  ] as const) {
    it(`${file}: a clear problem (${code}) and nothing stored`, async () => {
      const store = Store.memory();
      await importInto(store, scen('household', 'rakuten-card.csv'));
      const before = store.counts();
      const err = await importInto(store, st(file)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ImportError);
      expect((err as ImportError).problem.code).toBe(code);
      expect(store.counts()).toEqual(before);
      store.close();
    });
  }

  it('a failure half-way through a file rolls the whole file back', async () => {
    const store = Store.memory();
    const err = await store
      .importFile('x', 'test', async (sink) => {
        const [c] = (await import('#core/ledger/statements.ts')).parseStatement(
          readFileSync(scen('household', 'rakuten-card.csv')),
          'x',
          knowledge.statements,
        ).charges;
        sink.charge(c!);
        throw new Error('disk full');
      })
      .catch((e: Error) => e.message);
    expect(err).toBe('disk full');
    expect(store.counts().charges).toBe(0);
    store.close();
  });
});
