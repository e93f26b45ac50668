import { describe, expect, it } from 'vitest';
import type { OrderLine } from '#core/ledger/types.ts';
import { assembleOrders } from '#core/reconcile/orders.ts';
import { riskRuleProblems } from '#core/reconcile/risk-params.ts';
import { assessOrders } from '#core/reconcile/risk.ts';
import { loadKnowledgeSpec } from '#adapters/knowledge/source.ts';
import { knowledge } from '../helpers/ledger.ts';

function line(o: Record<string, unknown>, i: number): OrderLine {
  return {
    key: `k${i}`,
    orderId: String(o.id),
    storefront: 'amazon-jp',
    kind: (o.kind as 'digital') ?? 'physical',
    orderAt: String(o.at),
    shipDate: null,
    name: String(o.name),
    asin: null,
    quantity: 1,
    amount: Number(o.amount),
    currency: 'JPY',
    status: 'ok',
    payment: null,
    shipTo: (o.shipTo as string) ?? null,
    seller: (o.seller as string) ?? null,
    category: null,
    giftTo: (o.giftTo as string) ?? null,
    source: { file: 'case', row: i + 1 },
  };
}

describe('risk rules in data/risk: every rule has cases that must hit and must not', () => {
  it('names detectors that exist, with valid parameters', () =>
    expect(riskRuleProblems(knowledge)).toEqual([]));
  for (const rule of loadKnowledgeSpec().riskRules) {
    it(`${rule.id} has both kinds of case`, () => {
      expect(rule.cases.some((c) => c.expect === 'hit')).toBe(true);
      expect(rule.cases.some((c) => c.expect === 'miss')).toBe(true);
    });
    rule.cases.forEach((c, i) => {
      it(`${rule.id} case ${i + 1} (${c.expect}${c.note ? ': ' + c.note : ''})`, () => {
        const orders = assembleOrders(c.orders.map(line));
        const last = String(c.orders[c.orders.length - 1]!.id);
        const ids = assessOrders(orders, knowledge)
          .get(last)!
          .findings.map((f) => f.id);
        if (c.expect === 'hit') expect(ids).toContain(rule.id);
        else expect(ids).not.toContain(rule.id);
      });
    });
  }
});
