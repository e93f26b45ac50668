import { describe, expect, it } from 'vitest';
import { previewPasted, type PastePreview } from '#core/app/import-pasted.ts';
import type { CardCharge } from '#core/ledger/types.ts';
import { assembleOrders } from '#core/reconcile/orders.ts';
import { reconcile } from '#core/reconcile/reconcile.ts';
import { knowledge } from '../helpers/ledger.ts';

let n = 0;
const charge = (date: string, amount: number, last4?: string): CardCharge => ({
  key: `c${++n}`,
  date,
  description: 'AMAZON.CO.JP',
  amount,
  currency: 'JPY',
  cardholder: null,
  layout: 'test',
  source: { file: 'card.csv', row: n },
  ...(last4 ? { card: { last4 } } : {}),
});

async function withPaste(text: string, charges: CardCharge[]) {
  const p = (await previewPasted(new TextEncoder().encode(text), {
    knowledge,
    at: '2026-12-01T20:00:00.000Z',
  })) as Extract<PastePreview, { kind: 'paste' }>;
  expect(p.kind).toBe('paste');
  const { lines, payments, refunds } = p.records;
  return reconcile({ orders: assembleOrders(lines, payments), refunds, charges }, knowledge);
}

const page = (rows: [string, string, string, string][]) =>
  ['取引', ...rows.flatMap(([d, card, amt, id]) => [d, card, amt, `注文番号 ${id}`, 'AMAZON.CO.JP'])].join(
    '\n',
  );

describe('reconcile with a pasted transactions page', () => {
  it('a charge with the same amount, card and date matches its order number (match.pasted-transaction)', async () => {
    const r = await withPaste(
      page([['2026年11月20日', 'Visa ****1234', '-￥4,980', '503-1234567-1234567']]),
      [charge('2026-11-20', 4980, '1234')],
    );
    expect(r.charges[0]).toMatchObject({ category: 'order', orderIds: ['503-1234567-1234567'] });
    expect(r.charges[0]!.findings[0]).toMatchObject({
      id: 'match.pasted-transaction',
      params: { orderId: '503-1234567-1234567' },
    });
    expect(r.summary.noOrderData).toBe(false);
  });

  it('another card is not that charge, even at the same amount and day', async () => {
    const r = await withPaste(
      page([['2026年11月20日', 'Mastercard ****5678', '-￥4,980', '503-1234567-1234567']]),
      [charge('2026-11-20', 4980, '1234')],
    );
    expect(r.charges[0]!.orderIds).toEqual([]);
    expect(r.charges[0]!.category).toBe('unexplained');
  });

  it('a statement that does not name the card still matches by amount and day', async () => {
    const r = await withPaste(
      page([['2026年11月20日', 'Visa ****1234', '-￥4,980', '503-1234567-1234567']]),
      [charge('2026-11-21', 4980)],
    );
    expect(r.charges[0]!.findings[0]!.id).toBe('match.pasted-transaction');
  });

  it('three days apart is not the same charge', async () => {
    const r = await withPaste(
      page([['2026年11月20日', 'Visa ****1234', '-￥4,980', '503-1234567-1234567']]),
      [charge('2026-11-23', 4980, '1234')],
    );
    expect(r.charges[0]!.orderIds).toEqual([]);
  });

  it('charges still unexplained get their risk, as with an export (never "unverified")', async () => {
    const r = await withPaste(
      page([['2026年11月20日', 'Visa ****1234', '-￥4,980', '503-1234567-1234567']]),
      [charge('2026-11-20', 4980, '1234'), charge('2026-11-21', 50000, '1234')],
    );
    const other = r.charges.find((c) => c.amount === 50000)!;
    expect(other.category).toBe('unexplained');
    expect(other.risk).not.toBeNull();
    expect(['high', 'medium']).toContain(other.risk);
  });

  it('two equal charges on one day pair one to one', async () => {
    const r = await withPaste(
      page([
        ['2026年11月20日', 'Visa ****1234', '-￥1,000', '503-1111111-1111111'],
        ['2026年11月20日', 'Visa ****1234', '-￥1,000', '503-2222222-2222222'],
      ]),
      [charge('2026-11-20', 1000, '1234'), charge('2026-11-20', 1000, '1234')],
    );
    expect(r.charges.map((c) => c.orderIds[0]).sort()).toEqual([
      '503-1111111-1111111',
      '503-2222222-2222222',
    ]);
  });

  it('an order pasted from Your Orders explains a charge of its total, as an export line would', async () => {
    const text = [
      '注文履歴',
      '注文日',
      '2026年11月20日',
      '合計',
      '￥4,980',
      '注文番号',
      '503-1234567-1234567',
    ].join('\n');
    const r = await withPaste(text, [charge('2026-11-21', 4980, '1234')]);
    expect(r.charges[0]).toMatchObject({ category: 'order', orderIds: ['503-1234567-1234567'] });
    expect(r.charges[0]!.findings[0]!.id).toBe('match.order-total');
  });
});
