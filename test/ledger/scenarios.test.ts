import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.ts';
import { reconcileFiles } from '../helpers/ledger.ts';

interface Expected {
  orders: string;
  statement: string;
  charges: {
    date: string;
    description: string;
    amount: number;
    category: string;
    risk: string;
    orderIds?: string[];
  }[];
}

for (const name of ['household', 'hijacked', 'innocent-panic']) {
  describe(`scenario: ${name}`, () => {
    const dir = join(repoRoot, 'test/fixtures/ledger/scenarios', name);
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected;
    it('explains every charge with the expected category and risk', async () => {
      const r = await reconcileFiles([join(dir, expected.orders), join(dir, expected.statement)]);
      expect(r.charges).toHaveLength(expected.charges.length);
      const got = r.charges.map((c) => ({
        date: c.date,
        description: c.description,
        amount: c.amount,
        category: c.category,
        risk: c.risk,
      }));
      const want = expected.charges.map(({ date, description, amount, category, risk }) => ({
        date,
        description,
        amount,
        category,
        risk,
      }));
      const sort = (
        a: { date: string; amount: number; description: string },
        b: { date: string; amount: number; description: string },
      ) => a.date.localeCompare(b.date) || a.amount - b.amount || a.description.localeCompare(b.description);
      expect(got.sort(sort)).toEqual(want.sort(sort));
      for (const e of expected.charges.filter((c) => c.orderIds?.length)) {
        const c = r.charges.find(
          (x) => x.date === e.date && x.amount === e.amount && x.description === e.description,
        )!;
        expect(c.orderIds).toEqual(e.orderIds);
      }
      // Every match says why.
      for (const c of r.charges.filter((x) => x.orderIds.length))
        expect(c.findings.some((f) => f.id.startsWith('match.'))).toBe(true);
      // Nothing matched twice.
      const keys = r.orders.flatMap((o) => o.chargeKeys);
      expect(new Set(keys).size).toBe(keys.length);
    });
  });
}

describe('hijacked account: the night of the attack', () => {
  it('shows the order times in Japan time (the export is in UTC)', async () => {
    const dir = join(repoRoot, 'test/fixtures/ledger/scenarios/hijacked');
    const r = await reconcileFiles([join(dir, 'amazon-export.zip'), join(dir, 'vpass.csv')]);
    const o = r.orders.find((x) => x.orderId === 'D01-2222222-0000005')!;
    expect([o.date, o.time]).toEqual(['2026-11-19', '03:02']);
    expect(o.findings.map((f) => f.id)).toEqual(
      expect.arrayContaining(['order.night-time', 'order.cash-like-item', 'order.burst']),
    );
    expect(r.orders.find((x) => x.orderId === '249-2222222-0000001')!.risk).toBe('none');
  });
});
