import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mamori } from '../helpers/cli.ts';

const scen = (n: string, f: string) => `test/fixtures/ledger/scenarios/${n}/${f}`;

describe('mamori import / reconcile (the real binary)', () => {
  it('reconcile --json of thousands of rows is written in pieces that make one compact JSON text', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mamori-json-'));
    const card = join(dir, 'card.csv');
    const rows = Array.from(
      { length: 3000 },
      (_, i) =>
        `2024/${String(1 + (i % 12)).padStart(2, '0')}/${String(1 + (i % 28)).padStart(2, '0')},${i % 3 ? 'AMAZON.CO.JP' : 'Amazonプライム会費'},本人,1回払い,${500 + i},0,${500 + i}`,
    );
    writeFileSync(
      card,
      ['\uFEFF利用日,利用店名・商品名,利用者,支払方法,利用金額,支払手数料,支払総額', ...rows].join('\n') +
        '\n',
    );
    const r = mamori(['reconcile', '--statement', card, '--json'], {
      env: { MAMORI_HOME: join(dir, 'home') },
    });
    expect(r.status, r.stderr).toBe(0);
    // Well over one 64 KiB piece: the pieces join into exactly what JSON.stringify of the whole gives.
    expect(r.stdout.length).toBeGreaterThan(300_000);
    const out = JSON.parse(r.stdout);
    expect(r.stdout).toBe(JSON.stringify(out) + '\n');
    expect(out.charges).toHaveLength(3000);
    expect(Object.keys(out)).toEqual(['charges', 'orders', 'suggestedSituations', 'summary']);
  });

  it('reconcile --json with files explains every row, stores nothing', () => {
    const home = mkdtempSync(join(tmpdir(), 'mamori-home-'));
    const r = mamori(
      [
        'reconcile',
        '--orders',
        scen('household', 'amazon-export.zip'),
        '--statement',
        scen('household', 'rakuten-card.csv'),
        '--json',
      ],
      { env: { MAMORI_HOME: home } },
    );
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.charges).toHaveLength(12);
    for (const c of out.charges) {
      expect(Object.keys(c)).toEqual(
        expect.arrayContaining([
          'date',
          'description',
          'amount',
          'currency',
          'category',
          'risk',
          'orderIds',
          'findings',
        ]),
      );
      expect(c.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(out.charges.find((c: { amount: number }) => c.amount === -1500).category).toBe('refund');
    expect(out.orders[0]).toMatchObject({
      orderId: expect.any(String),
      date: expect.any(String),
      total: expect.any(Number),
      risk: expect.any(String),
    });
    expect(out.summary.byCategory.order.count).toBe(7);
    expect(mamori(['reconcile'], { env: { MAMORI_HOME: home } }).status).toBe(1); // the store is still empty
  });

  it('import stores; importing the same export again adds nothing; reconcile then uses the store', () => {
    const home = mkdtempSync(join(tmpdir(), 'mamori-home-'));
    const env = { MAMORI_HOME: home };
    const a = mamori(['import', scen('hijacked', 'amazon-export.zip'), scen('hijacked', 'vpass.csv')], {
      env,
    });
    expect(a.status).toBe(0);
    expect(a.stdout).toMatch(/件を追加しました/);
    const b = mamori(['import', scen('hijacked', 'amazon-export.zip'), '--lang', 'en'], { env });
    expect(b.stdout).toContain('added 0');
    const r = JSON.parse(mamori(['reconcile', '--json'], { env }).stdout);
    expect(r.charges.filter((c: { category: string }) => c.category === 'unexplained')).toHaveLength(3);
    const human = mamori(['reconcile'], { env }).stdout;
    expect(human.indexOf('説明できない')).toBeLessThan(human.indexOf('注文の請求'));
    // The mail check now knows the user's orders from the store.
    const check = JSON.parse(
      mamori(['check', 'test/fixtures/mail/phish/jp-order-cancel-unknown-order.eml', '--json'], { env })
        .stdout,
    );
    expect(check.findings.map((f: { id: string }) => f.id)).toContain('order.not-in-history');
  });

  it('a broken input is a clear message, exit 1, and nothing half-imported', () => {
    const home = mkdtempSync(join(tmpdir(), 'mamori-home-'));
    const env = { MAMORI_HOME: home };
    const r = mamori(['import', 'test/fixtures/ledger/statements/truncated-export.zip'], { env });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('壊れているか、途中までしかありません');
    expect(r.stderr).toContain('何も保存していません');
    // An unknown layout is read with columns guessed from their content, and the exact --map is said.
    const u = mamori(['import', 'test/fixtures/ledger/statements/other-bank.csv', '--lang', 'en'], { env });
    expect(u.status).toBe(0);
    expect(u.stdout).toContain('guessed');
    expect(u.stdout).toContain('--map date=日付,description=摘要内容,amount=支払い金額');
    const m = mamori(
      [
        'import',
        'test/fixtures/ledger/statements/custom-layout.csv',
        '--map',
        'date=when,description=shop,amount=yen',
      ],
      { env },
    );
    expect(m.status).toBe(0);
    expect(mamori(['import', 'x.csv', '--map', 'date=when'], { env }).status).toBe(2);
  });

  it('check --orders accepts an Amazon export zip', () => {
    const r = JSON.parse(
      mamori([
        'check',
        'test/fixtures/mail/phish/jp-order-cancel-unknown-order.eml',
        '--orders',
        scen('household', 'amazon-export.zip'),
        '--json',
      ]).stdout,
    );
    expect(r.findings.find((f: { id: string }) => f.id === 'order.not-in-history')).toBeTruthy();
  });
});
