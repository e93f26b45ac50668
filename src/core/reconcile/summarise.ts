import type { Finding } from '#core/findings.ts';
import type { ReconcileSettings } from '#core/knowledge/schema.ts';
import { roundMoney } from '#core/ledger/values.ts';
import type { Categorised } from './categorise.ts';
import { paidPartly } from './match.ts';
import { suggestSituations } from './suggest.ts';
import type { Order } from './orders.ts';
import { riskLevels, type RiskLevel } from './risk.ts';
import type { ChargeCategory, ExplainedCharge, ExplainedOrder, ReconcileResult } from './types.ts';

type OrderRisk = ReadonlyMap<string, { risk: RiskLevel; findings: Finding[] }>;

/** Each charge's risk: its category's own, raised to its order's when that is higher (never for refunds). */
export function explainCharges(
  categorised: readonly Categorised[],
  orderRisk: OrderRisk,
  settings: ReconcileSettings,
): ExplainedCharge[] {
  return categorised.map(({ classified: { charge: ch }, category, orderIds, findings }) => {
    if (category === 'unverified')
      return {
        key: ch.key,
        date: ch.date,
        description: ch.description,
        amount: ch.amount,
        currency: ch.currency,
        category,
        risk: null,
        orderIds,
        findings,
        source: `${ch.source.file}:${ch.source.row}`,
      };
    let risk: RiskLevel = settings.chargeRisk[category] ?? 'none';
    for (const id of orderIds) {
      const r = orderRisk.get(id);
      if (r && riskLevels.indexOf(r.risk) > riskLevels.indexOf(risk) && category !== 'refund') {
        risk = r.risk;
        findings.push(...r.findings);
      }
    }
    return {
      key: ch.key,
      date: ch.date,
      description: ch.description,
      amount: ch.amount,
      currency: ch.currency,
      category,
      risk,
      orderIds,
      findings,
      source: `${ch.source.file}:${ch.source.row}`,
    };
  });
}

/** Each order with its risk, the charges that paid it, and whether it is a duplicate or was never charged. */
export function explainOrders(
  orders: readonly Order[],
  orderRisk: OrderRisk,
  duplicateOf: ReadonlyMap<string, Order>,
  chargesOfOrder: ReadonlyMap<string, string[]>,
  settings: ReconcileSettings,
): ExplainedOrder[] {
  const partly = paidPartly(settings);
  return orders.map((o) => {
    const r = orderRisk.get(o.orderId)!;
    const findings = [...r.findings];
    const dup = duplicateOf.get(o.orderId);
    if (dup)
      findings.push({
        id: 'order.duplicate',
        severity: 'low',
        evidence: `${o.orderId} = ${dup.orderId}`,
        params: { firstOrderId: dup.orderId },
      });
    const keys = chargesOfOrder.get(o.orderId) ?? [];
    if (keys.length === 0 && o.status !== 'cancelled' && o.total > 0)
      findings.push({
        id: 'order.no-charge',
        severity: 'info',
        evidence: o.orderId,
        params: { partial: partly(o) ? 1 : 0 },
      });
    return {
      orderId: o.orderId,
      date: o.orderDate,
      time: o.orderAt.endsWith('T00:00') ? null : o.orderAt.slice(11),
      total: o.total,
      currency: o.currency,
      status: o.status,
      items: o.items.map((i) => i.name).slice(0, 10),
      risk: r.risk,
      findings,
      chargeKeys: keys,
    };
  });
}

/** Counts and totals by category and risk, and the period the charges cover. */
export function summarise(
  charges: ExplainedCharge[],
  orders: ExplainedOrder[],
  noOrderData = orders.length === 0,
): ReconcileResult {
  const byCategory: Partial<Record<ChargeCategory, { count: number; total: number }>> = {};
  const byRisk: Record<RiskLevel, number> = { none: 0, low: 0, medium: 0, high: 0 };
  for (const e of charges) {
    const b = (byCategory[e.category] ??= { count: 0, total: 0 });
    b.count++;
    b.total = roundMoney(b.total + e.amount, e.currency);
    if (e.risk) byRisk[e.risk]++;
  }
  const dates = charges.map((e) => e.date).sort();
  return {
    charges,
    orders,
    suggestedSituations: suggestSituations(charges, orders),
    summary: {
      charges: charges.length,
      orders: orders.length,
      byCategory,
      byRisk,
      ordersWithoutCharge: orders.filter((o) => o.findings.some((f) => f.id === 'order.no-charge')).length,
      noOrderData,
      period: dates.length ? { from: dates[0]!, to: dates[dates.length - 1]! } : null,
    },
  };
}
