import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { previewPasted } from '#core/app/import-pasted.ts';
import { readPaste } from '#core/ledger/pasted/extract.ts';
import { htmlToText } from '#core/ledger/pasted/text.ts';
import { knowledge } from '../helpers/ledger.ts';

const dir = 'test/fixtures/pasted';
const pages = readdirSync(dir).filter((f) => /\.(txt|html|mhtml)$/.test(f));
const at = '2026-12-01T20:00:00.000Z';

const read = (f: string) =>
  previewPasted(new Uint8Array(readFileSync(join(dir, f))), { knowledge, name: f, at });

describe('pasted pages (written here, test/fixtures/pasted/README.md)', () => {
  it('every page has its expectation, and each kind of page has several layouts', () => {
    expect(pages.length).toBeGreaterThanOrEqual(15);
    for (const f of pages) expect(readdirSync(dir)).toContain(f.replace(/\.\w+$/, '.expected.json'));
    const kinds = pages.map((f) => f.split('-')[0]);
    for (const k of ['transactions', 'orders', 'order', 'digital'])
      expect(kinds.filter((x) => x === k).length).toBeGreaterThanOrEqual(2);
  });

  for (const f of pages)
    it(`${f} gives what its sidecar says`, async () => {
      const want = JSON.parse(readFileSync(join(dir, f.replace(/\.\w+$/, '.expected.json')), 'utf8'));
      const p = await read(f);
      expect(p.kind).toBe(want.kind);
      if (p.kind !== 'paste') return;
      expect(p.page).toBe(want.page);
      expect(
        p.reading.charges.map((c) => ({
          type: c.type,
          orderId: c.orderId,
          date: c.date,
          amount: c.amount,
          currency: c.currency,
          last4: c.card?.last4 ?? null,
        })),
      ).toEqual(want.charges);
      expect(
        p.reading.orders.map((o) => ({
          orderId: o.orderId,
          date: o.date,
          total: o.total,
          currency: o.currency,
          status: o.status,
        })),
      ).toEqual(want.orders);
      expect(p.reading.unread.map((u) => u.reason)).toEqual(want.unread);
      // Every item names the lines it came from, and they hold its order number or its date.
      for (const x of [...p.reading.charges, ...p.reading.orders]) {
        expect(x.lines.length).toBeGreaterThan(0);
        const text = x.lines
          .map((n) => p.reading.lines[n - 1]!)
          .join('\n')
          .normalize('NFKC');
        expect(text).toContain(x.orderId);
      }
    });
});

describe('the extractor reads shapes, not layouts', () => {
  it('the same charges whether a phone copy (one field per line) or a desktop copy (one charge per line)', () => {
    const phone = readPaste(
      [
        '取引',
        '2026年11月20日',
        'Visa ****1234',
        '-￥4,980',
        '注文番号 503-1234567-1234567',
        'AMAZON.CO.JP',
      ].join('\n'),
    );
    const desktop = readPaste(
      ['取引', '2026/11/20\tVisa ****1234\t-4,980円\t503-1234567-1234567\tAMAZON.CO.JP'].join('\n'),
    );
    const strip = (r: ReturnType<typeof readPaste>) => r.charges.map(({ lines: _, ...c }) => c);
    expect(strip(phone)).toEqual(strip(desktop));
    expect(strip(phone)[0]).toMatchObject({
      orderId: '503-1234567-1234567',
      date: '2026-11-20',
      amount: 4980,
      confidence: 'high',
    });
  });

  it('dates as Amazon writes them, amounts in yen and dollars', () => {
    for (const [date, amount, currency, value] of [
      ['2026年11月20日', '￥4,980', 'JPY', 4980],
      ['November 20, 2026', '$12.34', 'USD', 12.34],
      ['2026/11/20', '¥4,980', 'JPY', 4980],
      ['Nov 20, 2026', '4,980円', 'JPY', 4980],
      ['20 November 2026', 'USD 12.34', 'USD', 12.34],
    ] as const) {
      const r = readPaste(
        `Transactions\n${date}\nVisa ****1234\n-${amount}\nOrder #113-1234567-1234567\nAmazon.com`,
      );
      expect(r.charges, `${date} ${amount}`).toHaveLength(1);
      expect(r.charges[0]).toMatchObject({ date: '2026-11-20', amount: value, currency });
    }
  });

  it('an order number the copy cut short is reported, never guessed; an impossible date is not a date', () => {
    const r = readPaste(
      '取引\n2026年11月20日\nVisa ****1234\n-￥4,980\n注文番号 503-123456-1234567\nAMAZON.CO.JP',
    );
    expect(r.charges).toEqual([]);
    expect(r.unread.map((u) => u.reason)).toContain('bad-order-id');
    const d = readPaste('取引\n2026年2月30日\nVisa ****1234\n-￥4,980\n注文番号 503-1234567-1234567');
    expect(d.charges).toEqual([]);
    expect(d.unread.map((u) => u.reason)).toEqual(expect.arrayContaining(['bad-date']));
  });

  it('a number without a currency is not money; order numbers and dates are not read as amounts', () => {
    const r = readPaste('取引\n2026年11月20日\nVisa ****1234\n注文番号 503-1234567-1234567\n1234');
    expect(r.charges).toEqual([]);
    expect(r.unread.map((u) => u.reason)).toContain('no-amount');
  });

  it('HTML is read as text: script, style, noscript and template content never counts', () => {
    const text = htmlToText(
      '<html><head><script>x="503-9999999-9999999"</script><style>.x{}</style></head><body><div>取引</div><template>503-8888888-8888888</template><p>2026年11月20日</p></body></html>',
    );
    expect(text).toBe('取引\n2026年11月20日');
  });
});

describe('what is not a page of orders', () => {
  it('a statement CSV no layout fits still goes to the statement importer (which asks for --map)', async () => {
    const csv = '取引日,お店,支払額,メモ\n2026/11/20,AMAZON.CO.JP,4980,\n2026/11/21,コンビニ,300,\n';
    const p = await previewPasted(new TextEncoder().encode(csv), { knowledge, name: 'x.txt', at });
    expect(p.kind).toBe('statement');
  });

  it('random text never throws, and every order number read is in the text', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.constantFrom(
              '2026年11月20日',
              'Visa ****1234',
              '-￥4,980',
              '注文番号 503-1234567-1234567',
              '返金',
              'AMAZON.CO.JP',
              '合計',
              '\t',
              '\n',
            ),
            fc.string({ maxLength: 12 }),
          ),
          { maxLength: 60 },
        ),
        (parts) => {
          const text = parts.join('\n');
          const r = readPaste(text);
          for (const x of [...r.charges, ...r.orders]) expect(text.normalize('NFKC')).toContain(x.orderId);
          for (const u of r.unread) expect(u.line).toBeLessThanOrEqual(r.lines.length);
        },
      ),
      { numRuns: 300, seed: 15 },
    );
  });
});
