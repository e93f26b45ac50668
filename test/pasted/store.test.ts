import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '#adapters/store/store.ts';
import { commitPasted, previewPasted, type PastePreview } from '#core/app/import-pasted.ts';
import { reconcileStored } from '#core/app/reconcile-stored.ts';
import { supersedePasted } from '#core/ledger/pasted/records.ts';
import type { CardCharge, OrderLine, OrderPayment } from '#core/ledger/types.ts';
import type { Store } from '#core/ports/store.ts';
import { MemoryStore } from '#core/store/memory-store.ts';
import { knowledge } from '../helpers/ledger.ts';

const page = (at: string, text: string) =>
  previewPasted(new TextEncoder().encode(text), { knowledge, name: 'p.txt', at }) as Promise<
    Extract<PastePreview, { kind: 'paste' }>
  >;

const transactions = [
  '取引',
  '2026年11月20日',
  'Visa ****1234',
  '-￥4,980',
  '注文番号 503-1234567-1234567',
  'AMAZON.CO.JP',
  'Visa ****1234',
  '+￥1,000',
  '返金 注文番号 503-2345678-2345678',
  'AMAZON.CO.JP',
].join('\n');
const orders = [
  '注文履歴',
  '注文日',
  '2026年11月20日',
  '合計',
  '￥4,980',
  '注文番号',
  '503-1234567-1234567',
].join('\n');
const details = [
  '注文の詳細',
  '注文日 2026年11月20日 注文番号 503-1234567-1234567',
  '注文合計： ￥4,980',
].join('\n');

const exportLine: OrderLine = {
  key: 'line|503-1234567-1234567|1',
  orderId: '503-1234567-1234567',
  storefront: 'amazon-jp',
  kind: 'physical',
  orderAt: '2026-11-20T21:15',
  shipDate: '2026-11-20',
  name: 'ワイヤレスイヤホン',
  asin: 'B000000001',
  quantity: 1,
  amount: 4980,
  currency: 'JPY',
  status: 'ok',
  payment: 'Visa - 1234',
  shipTo: null,
  seller: null,
  category: null,
  giftTo: null,
  source: { file: 'Your Orders.zip!Order History.csv', row: 2 },
};
const exportPayment: OrderPayment = {
  key: 'pay|503-1234567-1234567',
  orderId: '503-1234567-1234567',
  date: '2026-11-20',
  amount: 4980,
  currency: 'JPY',
  method: 'Visa',
  source: { file: 'extension.csv', row: 2 },
};
const charge: CardCharge = {
  key: 'c1',
  date: '2026-11-20',
  description: 'AMAZON.CO.JP',
  amount: 4980,
  currency: 'JPY',
  cardholder: null,
  layout: 'test',
  source: { file: 'card.csv', row: 2 },
  card: { last4: '1234' },
};

async function importExport(store: Store, lines: OrderLine[], payments: OrderPayment[] = []) {
  return store.importFile('Your Orders.zip', 'auto', async (sink) => {
    for (const l of lines) sink.line(l);
    for (const p of payments) sink.payment(p);
  });
}

function pastedStoreContract(name: string, make: () => Store) {
  describe(`pasted rows in the store (${name})`, () => {
    it('keep their source (pasted, the page kind, the time) apart from export rows', async () => {
      const s = make();
      await commitPasted(s, await page('2026-12-01T20:00:00.000Z', transactions));
      const data = await s.load();
      expect(data.payments).toHaveLength(1);
      expect(data.refunds).toHaveLength(1);
      expect(data.payments[0]!.source.file).toBe('pasted:transactions:2026-12-01T20:00:00.000Z');
      expect(data.payments[0]!.method).toBe('Visa ****1234');
      s.close();
    });

    it('pasting the same page again stores nothing new', async () => {
      const s = make();
      const first = await commitPasted(s, await page('2026-12-01T20:00:00.000Z', transactions));
      const again = await commitPasted(s, await page('2026-12-01T21:00:00.000Z', transactions));
      expect(first).toEqual({ added: 2, unchanged: 0 });
      expect(again).toEqual({ added: 0, unchanged: 2 });
      s.close();
    });

    it('a later export supersedes pasted rows where they overlap: no duplicates', async () => {
      const s = make();
      await commitPasted(s, await page('2026-12-01T20:00:00.000Z', orders));
      await commitPasted(s, await page('2026-12-01T20:05:00.000Z', transactions));
      await importExport(s, [exportLine], [exportPayment]);
      const seen = supersedePasted(await s.load());
      expect(seen.lines).toEqual([exportLine]);
      expect(seen.payments).toEqual([exportPayment]);
      // The refund the export does not hold stays.
      expect(seen.refunds.map((r) => r.orderId)).toEqual(['503-2345678-2345678']);
      s.close();
    });

    it('an export imported first still wins over a paste made after it', async () => {
      const s = make();
      await importExport(s, [exportLine]);
      await commitPasted(s, await page('2026-12-01T20:00:00.000Z', orders));
      expect(supersedePasted(await s.load()).lines).toEqual([exportLine]);
      s.close();
    });

    it('an order pasted from several pages counts once, from its fullest page', async () => {
      const s = make();
      await commitPasted(s, await page('2026-12-01T20:00:00.000Z', orders));
      await commitPasted(s, await page('2026-12-01T20:01:00.000Z', details));
      expect((await s.load()).lines).toHaveLength(2);
      const lines = supersedePasted(await s.load()).lines;
      expect(lines).toHaveLength(1);
      expect(lines[0]!.source.file).toMatch(/^pasted:order-details:/);
      s.close();
    });

    it('reconcile reads the superseded ledger: one order, its charge matched once', async () => {
      const s = make();
      await commitPasted(s, await page('2026-12-01T20:00:00.000Z', transactions));
      await commitPasted(s, await page('2026-12-01T20:01:00.000Z', orders));
      await s.importFile('card.csv', 'auto', async (sink) => sink.charge(charge));
      const before = (await reconcileStored(s, knowledge))!;
      expect(before.charges[0]!.findings.map((f) => f.id)).toContain('match.pasted-transaction');
      await importExport(s, [exportLine]);
      const after = (await reconcileStored(s, knowledge))!;
      expect(after.orders.filter((o) => o.orderId === '503-1234567-1234567')).toHaveLength(1);
      expect(after.orders.find((o) => o.orderId === '503-1234567-1234567')!.items).toEqual([
        'ワイヤレスイヤホン',
      ]);
      expect(after.charges[0]!.orderIds).toEqual(['503-1234567-1234567']);
      s.close();
    });
  });
}

const fresh = () => join(mkdtempSync(join(tmpdir(), 'mamori-paste-')), 'mamori.db');
pastedStoreContract('memory', () => new MemoryStore());
pastedStoreContract('sqlite (file)', () => new SqliteStore(fresh()));
pastedStoreContract('sqlite (:memory:)', () => SqliteStore.memory());

describe('the report reads the superseded ledger', () => {
  it('an order pasted and then exported is listed once in the report, with the export’s item name', async () => {
    const { openCase } = await import('#core/app/cases.ts');
    const { buildReport } = await import('#core/app/build-report.ts');
    const { translator } = await import('#interfaces/i18n.ts');
    const s = new MemoryStore();
    const clock = { today: () => '2026-12-01', now: () => '2026-12-01T20:00:00.000Z' };
    await commitPasted(s, await page('2026-12-01T20:00:00.000Z', orders));
    await importExport(s, [exportLine]);
    const c = await openCase(
      s,
      { title: 'test', region: 'jp', situations: ['unknown-charge'], contact: {} },
      clock,
    );
    await s.saveCase({
      ...c,
      charges: [
        {
          date: '2026-11-20',
          description: 'AMAZON.CO.JP',
          amount: 4980,
          currency: 'JPY',
          orderIds: ['503-1234567-1234567'],
          category: 'unexplained',
          risk: 'high',
          reasons: [],
        },
      ],
    });
    const t = translator(knowledge, 'ja');
    const r = await buildReport(
      s,
      c.id,
      { audience: 'amazon', format: 'md' },
      { knowledge, text: (k, p) => t.t(k, p), lang: 'ja', clock },
    );
    expect(r?.format).toBe('md');
    const md = r && 'text' in r ? r.text : '';
    expect(md).toContain('ワイヤレスイヤホン');
    // One row for the order (the pasted line gives way to the export's), with the export's item.
    const rows = md.split('\n').filter((l) => l.startsWith('| 503-1234567-1234567 |'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('| ワイヤレスイヤホン | ¥4,980 |');
    // The pasted line (no item name) is not listed beside the export's.
    const seen = supersedePasted(await s.load()).lines.filter((l) => l.orderId === '503-1234567-1234567');
    expect(seen).toEqual([exportLine]);
  });
});
