import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chargesToDispute } from '#core/app/dispute-charges.ts';
import type { CardCharge, OrderLine } from '#core/ledger/types.ts';
import { assembleOrders } from '#core/reconcile/orders.ts';
import { reconcile } from '#core/reconcile/reconcile.ts';
import { repoRoot } from '../helpers/cli.ts';
import { knowledge, reconcileFiles } from '../helpers/ledger.ts';

let n = 0;
const line = (
  orderId: string,
  ship: string | null,
  amount: number,
  extra: Partial<OrderLine> = {},
): OrderLine => ({
  key: `k${++n}`,
  orderId,
  storefront: 'amazon-jp',
  kind: 'physical',
  orderAt: '2026-11-01T10:00',
  shipDate: ship,
  name: `item ${n}`,
  asin: null,
  quantity: 1,
  amount,
  currency: 'JPY',
  status: 'ok',
  payment: 'Visa - 1234',
  shipTo: null,
  seller: null,
  category: null,
  giftTo: null,
  source: { file: 't', row: n },
  ...extra,
});
const charge = (date: string, amount: number, description = 'AMAZON.CO.JP'): CardCharge => ({
  key: `c${++n}`,
  date,
  description,
  amount,
  currency: 'JPY',
  cardholder: null,
  layout: 't',
  source: { file: 's', row: n },
});
const run = (lines: OrderLine[], charges: CardCharge[]) =>
  reconcile({ orders: assembleOrders(lines), refunds: [], charges }, knowledge);
const gift = { payment: 'Gift Certificate/Card and Visa - 1234' };
const view = (r: ReturnType<typeof run>) =>
  r.charges.map((c) => [c.amount, c.category, c.risk, c.orderIds.join(), c.findings[0]?.id]);

describe('a gift-card balance and a card pay one order', () => {
  it('the card pays the remainder: ¥4,000 of a ¥6,000 order matches it, and says what the gift card paid', () => {
    const r = run([line('249-7-1', '2026-11-02', 6000, gift)], [charge('2026-11-03', 4000)]);
    expect(view(r)).toEqual([[4000, 'order', 'none', '249-7-1', 'match.partial-payment']]);
    expect(r.charges[0]!.findings[0]!.params).toMatchObject({
      orderId: '249-7-1',
      covered: 6000,
      giftCard: 2000,
    });
  });

  it('per shipment: the balance covers the first shipment in part, the card pays the rest and the next in full', () => {
    const r = run(
      [line('249-7-2', '2026-11-02', 3000, gift), line('249-7-2', '2026-11-05', 3000, gift)],
      [charge('2026-11-03', 1000), charge('2026-11-06', 3000)],
    );
    expect(view(r)).toEqual([
      [1000, 'order', 'none', '249-7-2', 'match.partial-payment'],
      [3000, 'order', 'none', '249-7-2', 'match.shipment'],
    ]);
    expect(r.charges[0]!.findings[0]!.params).toMatchObject({ covered: 3000, giftCard: 2000 });
  });

  it('another Amazon charge nearby: the one closest to the ship date is the remainder, the other stays unexplained', () => {
    const r = run(
      [line('249-7-3', '2026-11-02', 6000, gift)],
      [charge('2026-11-03', 4000), charge('2026-11-06', 900)],
    );
    expect(view(r)).toEqual([
      [4000, 'order', 'none', '249-7-3', 'match.partial-payment'],
      [900, 'unexplained', 'high', '', 'charge.unexplained'],
    ]);
  });

  it('two charges equally close are not forced onto the order', () => {
    const r = run(
      [line('249-7-4', '2026-11-02', 6000, gift)],
      [charge('2026-11-03', 4000), charge('2026-11-03', 900)],
    );
    expect(r.charges.map((c) => c.category)).toEqual(['unexplained', 'unexplained']);
  });

  it('an order paid by card alone never takes a smaller charge', () => {
    const r = run([line('249-7-5', '2026-11-02', 6000)], [charge('2026-11-03', 4000)]);
    expect(view(r)).toEqual([[4000, 'unexplained', 'high', '', 'charge.unexplained']]);
  });
});

describe('no Amazon data, no grades', () => {
  const charges = [
    charge('2026-11-03', 4000),
    charge('2026-11-03', 10000, 'AMAZON DOWNLOADS'),
    charge('2026-11-04', 600, 'Amazonプライム会費'),
    charge('2026-11-05', 1590, 'NETFLIX.COM'),
    charge('2026-11-06', 3240, 'AMAZON PAY(よつばカフェ)'),
  ];
  const r = run([], charges);

  it('Amazon-looking purchases are unverified, with no risk grade and no burst', () => {
    const amazon = r.charges.filter((c) => c.category === 'unverified');
    expect(amazon.map((c) => c.amount)).toEqual([4000, 10000]);
    for (const c of amazon) {
      expect(c.risk).toBeNull();
      expect(c.findings.map((f) => f.id)).toEqual(['charge.unverified']);
      expect(c.findings[0]!.params).toMatchObject({ reason: 'no-orders' });
    }
    expect(r.charges.some((c) => c.category === 'unexplained' || c.risk === 'high')).toBe(false);
    expect(r.summary.noOrderData).toBe(true);
    expect(r.summary.byRisk.high).toBe(0);
  });

  it('subscriptions, Amazon Pay and other merchants are still explained', () => {
    expect(r.charges.map((c) => c.category)).toEqual([
      'unverified',
      'unverified',
      'subscription',
      'other-merchant',
      'amazon-pay',
    ]);
  });

  it('suggests no situation and disputes nothing: unverified is not evidence', () => {
    expect(r.suggestedSituations).toEqual([]);
    expect(chargesToDispute(r)).toEqual([]);
  });

  it('with orders loaded, the same unmatched charge is unexplained and graded again', () => {
    const withOrders = run([line('249-8-1', '2026-10-02', 1200)], [charge('2026-11-03', 4000)]);
    expect(withOrders.charges[0]).toMatchObject({ category: 'unexplained', risk: 'high' });
    expect(withOrders.summary.noOrderData).toBe(false);
  });
});

describe('suggested situations come from the findings', () => {
  const scen = (name: string, ...files: string[]) =>
    reconcileFiles(files.map((f) => join(repoRoot, 'test/fixtures/ledger/scenarios', name, f)));

  it('hijacked: risky orders inside the account, one to a new address, and charges to dispute', async () => {
    const r = await scen('hijacked', 'amazon-export.zip', 'vpass.csv');
    expect(r.suggestedSituations).toEqual(['unknown-order', 'unknown-charge', 'account-changed']);
  });

  it('innocent panic: a cancelled order that was charged is an unknown charge, no unknown order', async () => {
    const r = await scen('innocent-panic', 'order-history-filter.csv', 'amex.csv');
    expect(r.suggestedSituations).toEqual(['unknown-charge']);
  });

  it('a household with nothing wrong suggests nothing', async () => {
    const r = await scen('household', 'amazon-export.zip', 'rakuten-card.csv');
    expect(r.suggestedSituations).toEqual([]);
  });

  it('only unexplained charges: unknown-charge alone', () => {
    const r = run(
      [line('249-9-1', '2026-10-02', 1200)],
      [charge('2026-10-02', 1200), charge('2026-11-03', 4000)],
    );
    expect(r.suggestedSituations).toEqual(['unknown-charge']);
  });
});
