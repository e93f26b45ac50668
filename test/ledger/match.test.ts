import { describe, expect, it } from 'vitest';
import type { CardCharge, OrderLine } from '#core/ledger/types.ts';
import { assembleOrders } from '#core/reconcile/orders.ts';
import { reconcile } from '#core/reconcile/reconcile.ts';
import { knowledge } from '../helpers/ledger.ts';

let n = 0;
const line = (
  orderId: string,
  at: string,
  ship: string | null,
  amount: number,
  extra: Partial<OrderLine> = {},
): OrderLine => ({
  key: `k${++n}`,
  orderId,
  storefront: 'amazon-jp',
  kind: 'physical',
  orderAt: at,
  shipDate: ship,
  name: `item ${n}`,
  asin: null,
  quantity: 1,
  amount,
  currency: 'JPY',
  status: 'ok',
  payment: 'Visa',
  shipTo: null,
  seller: null,
  category: null,
  giftTo: null,
  source: { file: 't', row: n },
  ...extra,
});
const charge = (
  date: string,
  amount: number,
  description = 'ＡＭＡＺＯＮ．ＣＯ．ＪＰ'.normalize('NFKC'),
): CardCharge => ({
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

describe('matching charges to shipments', () => {
  it('one order in three shipments: one charged alone, two billed together', () => {
    const r = run(
      [
        line('249-1-1', '2026-11-01T10:00', '2026-11-02', 1000),
        line('249-1-1', '2026-11-01T10:00', '2026-11-05', 2000),
        line('249-1-1', '2026-11-01T10:00', '2026-11-06', 3000),
      ],
      [charge('2026-11-02', 1000), charge('2026-11-06', 5000)],
    );
    expect(r.charges.map((c) => [c.amount, c.category, c.findings[0]!.id])).toEqual([
      [1000, 'order', 'match.shipment'],
      [5000, 'order', 'match.combined-shipments'],
    ]);
  });

  it('two equal charges on one day go to two orders, never both to one', () => {
    const r = run(
      [
        line('249-2-1', '2026-11-01T10:00', '2026-11-02', 1500),
        line('249-2-2', '2026-11-01T11:00', '2026-11-02', 1500),
      ],
      [charge('2026-11-02', 1500), charge('2026-11-02', 1500), charge('2026-11-03', 1500)],
    );
    const ids = r.charges.map((c) => c.orderIds.join());
    expect(ids.filter(Boolean).sort()).toEqual(['249-2-1', '249-2-2']);
    expect(r.charges.filter((c) => c.category === 'unexplained')).toHaveLength(1);
  });

  it('a charge outside the window is not forced onto an order', () => {
    const r = run([line('249-3-1', '2026-11-01T10:00', '2026-11-02', 2500)], [charge('2026-12-20', 2500)]);
    expect(r.charges[0]!.category).toBe('unexplained');
    expect(r.orders[0]!.findings.map((f) => f.id)).toContain('order.no-charge');
  });

  it('gift card or points paid part of the order: the smaller card charge still matches, and says why', () => {
    const r = run(
      [
        line('249-4-1', '2026-11-01T10:00', '2026-11-02', 5000, {
          payment: 'Gift Certificate/Card and Visa - 1234',
        }),
      ],
      [charge('2026-11-03', 3200)],
    );
    expect(r.charges[0]).toMatchObject({ category: 'order', orderIds: ['249-4-1'] });
    expect(r.charges[0]!.findings[0]!.id).toBe('match.partial-payment');
  });

  it('AWS is not retail, Amazon Pay is another shop, a non-Amazon row is other-merchant', () => {
    const r = run(
      [],
      [
        charge('2026-11-02', 66, 'AMAZON WEB SERVICES (AWS.AMAZON.CO)'),
        charge('2026-11-03', 3240, 'AMAZON PAY(よつばカフェ)'),
        charge('2026-11-04', 1590, 'NETFLIX.COM'),
      ],
    );
    expect(r.charges.map((c) => c.category)).toEqual(['other-merchant', 'amazon-pay', 'other-merchant']);
  });

  it('a digital order for a subscription (named as the storefront profile says) is a subscription charge', () => {
    const digital = (id: string, name: string, extra: Partial<OrderLine> = {}) =>
      line(id, '2026-11-01T10:00', null, 980, { kind: 'digital', name, ...extra });
    const jp = run(
      [
        digital('D01-5-1', 'Kindle Unlimited'),
        digital('D01-5-2', 'Kindle 本', { orderAt: '2026-11-10T10:00' }),
      ],
      [charge('2026-11-01', 980, 'AMAZON DOWNLOADS'), charge('2026-11-10', 980, 'AMAZON DOWNLOADS')],
    );
    expect(jp.charges.map((c) => [c.orderIds[0], c.category])).toEqual([
      ['D01-5-1', 'subscription'],
      ['D01-5-2', 'order'],
    ]);
    const us = run(
      [
        digital('D01-6-1', 'Audible Premium Plus', {
          storefront: 'amazon-us',
          currency: 'USD',
          amount: 14.95,
        }),
      ],
      [{ ...charge('2026-11-01', 14.95, 'Amazon Digital*AB12'), currency: 'USD' }],
    );
    expect(us.charges[0]).toMatchObject({ category: 'subscription', orderIds: ['D01-6-1'] });
  });
});
