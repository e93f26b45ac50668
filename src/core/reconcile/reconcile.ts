import type { LedgerKnowledge } from '#core/knowledge/compile.ts';
import type { Merchant } from '#core/knowledge/schema.ts';
import type { CardCharge, Currency, Refund } from '#core/ledger/types.ts';
import { daysBetween, normaliseDescriptor, roundMoney } from '#core/ledger/values.ts';
import type { Order } from './orders.ts';
import { assessOrders, riskLevels, type LedgerFinding, type RiskLevel } from './risk.ts';

export type ChargeCategory =
  | 'order'
  | 'subscription'
  | 'refund'
  | 'duplicate'
  | 'cancelled-but-charged'
  | 'amazon-pay'
  | 'unexplained'
  | 'other-merchant';
export const chargeCategories: readonly ChargeCategory[] = [
  'unexplained',
  'cancelled-but-charged',
  'duplicate',
  'amazon-pay',
  'order',
  'subscription',
  'refund',
  'other-merchant',
];

export interface ExplainedCharge {
  key: string;
  date: string;
  description: string;
  amount: number;
  currency: Currency;
  category: ChargeCategory;
  risk: RiskLevel;
  orderIds: string[];
  findings: LedgerFinding[];
  source: string;
}

export interface ExplainedOrder {
  orderId: string;
  date: string;
  time: string | null;
  total: number;
  currency: Currency;
  status: Order['status'];
  items: string[];
  risk: RiskLevel;
  findings: LedgerFinding[];
  chargeKeys: string[];
}

export interface ReconcileResult {
  charges: ExplainedCharge[];
  orders: ExplainedOrder[];
  summary: {
    charges: number;
    orders: number;
    byCategory: Partial<Record<ChargeCategory, { count: number; total: number }>>;
    byRisk: Record<RiskLevel, number>;
    ordersWithoutCharge: number;
    period: { from: string; to: string } | null;
  };
}

type Kind = Merchant['descriptors'][number]['kind'];
interface Classified {
  charge: CardCharge;
  kind: Kind | null;
  merchant: Merchant | null;
}

interface Unit {
  order: Order;
  amount: number;
  /** The day the charge is expected around, and the window around it. */
  date: string;
  before: number;
  after: number;
  reason: 'export-payment' | 'shipment' | 'order-total' | 'combined-shipments' | 'partial-payment';
  shipDates: (string | null)[];
}

const moneyKey = (amount: number, currency: string) => `${currency}:${roundMoney(amount, currency)}`;

function classify(charges: readonly CardCharge[], merchants: readonly Merchant[]): Classified[] {
  const compiled = merchants.map((m) => ({
    m,
    ds: m.descriptors.map((d) => ({ re: new RegExp(d.pattern, 'u'), kind: d.kind })),
  }));
  return charges.map((charge) => {
    const desc = normaliseDescriptor(charge.description);
    // The storefront whose currency the charge is in is asked first.
    const ordered = [...compiled].sort(
      (a, b) => Number(b.m.currency === charge.currency) - Number(a.m.currency === charge.currency),
    );
    for (const { m, ds } of ordered) {
      const hit = ds.find((d) => d.re.test(desc));
      if (hit) return { charge, kind: hit.kind, merchant: m };
    }
    return { charge, kind: null, merchant: null };
  });
}

/** Finds the unmatched charge of that amount closest to the expected date, inside the window. */
function pick(
  index: Map<string, Classified[]>,
  used: Set<string>,
  u: Unit,
  currency: string,
  exact = true,
): Classified | null {
  const list = exact ? index.get(moneyKey(u.amount, currency)) : undefined;
  if (!list) return null;
  let best: Classified | null = null;
  let bestGap = Infinity;
  for (const c of list) {
    if (used.has(c.charge.key)) continue;
    const gap = daysBetween(u.date, c.charge.date);
    if (gap < -u.before || gap > u.after) continue;
    const score = Math.abs(gap) + (gap < 0 ? 0.5 : 0);
    if (score < bestGap) {
      best = c;
      bestGap = score;
    }
  }
  return best;
}

/** The latest ship date of an order (Amazon charges when the last part ships), or its order date. */
function lastShipDate(o: Order): string {
  return (
    o.shipments
      .map((s) => s.date)
      .filter((d): d is string => !!d)
      .sort()
      .pop() ?? o.orderDate
  );
}

function subsets<T>(items: T[], min: number, max: number): T[][] {
  const out: T[][] = [];
  const n = items.length;
  for (let mask = 1; mask < 1 << n; mask++) {
    const size = popcount(mask);
    if (size < min || size > max) continue;
    out.push(items.filter((_, i) => mask & (1 << i)));
  }
  return out;
}
function popcount(x: number): number {
  let c = 0;
  while (x) {
    c += x & 1;
    x >>= 1;
  }
  return c;
}

function subscriptionOf(
  c: Classified,
  tolerance: number,
): { id: string; name: string; uncertain: boolean } | null {
  if (!c.merchant?.subscriptions) return null;
  for (const s of c.merchant.subscriptions) {
    for (const p of s.prices) {
      if (p.since && c.charge.date < p.since) continue;
      if (p.until && c.charge.date > p.until) continue;
      if (Math.abs(c.charge.amount - p.amount) <= p.amount * tolerance)
        return { id: s.id, name: s.name, uncertain: s.uncertain ?? false };
    }
  }
  return null;
}

/** Same descriptor and amount again about a month or a year later: a subscription whatever its name. */
function recurring(all: readonly Classified[]): Map<string, { period: 'month' | 'year'; count: number }> {
  const groups = new Map<string, Classified[]>();
  for (const c of all) {
    if (!c.kind || c.charge.amount <= 0 || c.kind === 'pay' || c.kind === 'not-retail') continue;
    const k = `${normaliseDescriptor(c.charge.description)}|${c.charge.amount}`;
    const g = groups.get(k);
    if (g) g.push(c);
    else groups.set(k, [c]);
  }
  const out = new Map<string, { period: 'month' | 'year'; count: number }>();
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    g.sort((a, b) => a.charge.date.localeCompare(b.charge.date));
    const gaps = g.slice(1).map((c, i) => daysBetween(g[i]!.charge.date, c.charge.date));
    const monthly = gaps.every((d) => d >= 26 && d <= 35);
    const yearly = gaps.every((d) => d >= 350 && d <= 380);
    if (monthly || yearly)
      for (const c of g) out.set(c.charge.key, { period: monthly ? 'month' : 'year', count: g.length });
  }
  return out;
}

/**
 * Explains every charge. Pure: orders, refunds and charges in, one category and one risk per charge out, each
 * match with its reason. Strongest evidence first (the export's own payment records, then shipments, whole
 * orders, combined shipments, partial payments); nothing is matched twice.
 */
export function reconcile(
  input: { orders: readonly Order[]; refunds: readonly Refund[]; charges: readonly CardCharge[] },
  knowledge: LedgerKnowledge,
): ReconcileResult {
  const settings = knowledge.reconcile;
  const classified = classify(input.charges, knowledge.merchants);
  const amazon = classified.filter(
    (c) => c.kind && c.kind !== 'not-retail' && c.kind !== 'pay' && c.charge.amount > 0,
  );
  const index = new Map<string, Classified[]>();
  for (const c of amazon) {
    const k = moneyKey(c.charge.amount, c.charge.currency);
    const l = index.get(k);
    if (l) l.push(c);
    else index.set(k, [c]);
  }
  const used = new Set<string>();
  const matchOf = new Map<string, { orders: Order[]; reason: Unit['reason']; unit: Unit; gap: number }>();
  const chargesOfOrder = new Map<string, string[]>();
  const take = (c: Classified, u: Unit, orders: Order[]) => {
    used.add(c.charge.key);
    matchOf.set(c.charge.key, { orders, reason: u.reason, unit: u, gap: daysBetween(u.date, c.charge.date) });
    for (const o of orders)
      chargesOfOrder.set(o.orderId, [...(chargesOfOrder.get(o.orderId) ?? []), c.charge.key]);
  };
  const orders = input.orders;
  const w = settings;

  // Pass 1: payments the export itself records (the JP extension's card rows, legacy shipment totals).
  for (const o of orders) {
    for (const p of o.payments) {
      const u: Unit = {
        order: o,
        amount: p.amount,
        date: p.date,
        before: 2,
        after: 3,
        reason: 'export-payment',
        shipDates: [p.date],
      };
      const c = pick(index, used, u, o.currency);
      if (c) take(c, u, [o]);
    }
  }
  const open = (o: Order) => !chargesOfOrder.has(o.orderId);
  // Pass 2: one charge per shipment, around its ship date (Amazon charges when it ships).
  const shipmentDone = new Map<string, Set<number>>();
  for (const o of orders) {
    if (!open(o) || o.shipments.length < 2) continue;
    o.shipments.forEach((s, k) => {
      if (!s.date) return;
      const u: Unit = {
        order: o,
        amount: s.amount,
        date: s.date,
        before: w.shipWindow.before,
        after: w.shipWindow.after,
        reason: 'shipment',
        shipDates: [s.date],
      };
      const c = pick(index, used, u, o.currency);
      if (c) {
        take(c, u, [o]);
        shipmentDone.set(o.orderId, (shipmentDone.get(o.orderId) ?? new Set()).add(k));
      }
    });
  }
  // Pass 3: the whole order in one charge (one shipment, digital orders, or shipments billed together).
  for (const o of orders) {
    if (!open(o) || o.total <= 0) continue;
    const anchor = lastShipDate(o);
    const u: Unit = {
      order: o,
      amount: o.total,
      date: anchor,
      before: w.shipWindow.before + daysBetween(o.orderDate, anchor),
      after: w.orderWindow.after,
      reason: 'order-total',
      shipDates: o.shipments.map((s) => s.date),
    };
    const c = pick(index, used, u, o.currency);
    if (c) take(c, u, [o]);
  }
  // Pass 4: the shipments not matched yet, some of them billed together.
  for (const o of orders) {
    const done = shipmentDone.get(o.orderId) ?? new Set<number>();
    if ((!open(o) && done.size === 0) || o.shipments.length < 2) continue;
    const rest = o.shipments.filter((s, k) => s.date && !done.has(k)).slice(0, w.maxShipmentCombination);
    if (rest.length < 2) continue;
    for (const group of subsets(rest, 2, rest.length)) {
      const amount = roundMoney(
        group.reduce((sum, x) => sum + x.amount, 0),
        o.currency,
      );
      const last = group
        .map((g) => g.date!)
        .sort()
        .pop()!;
      const u: Unit = {
        order: o,
        amount,
        date: last,
        before: w.shipWindow.before,
        after: w.shipWindow.after,
        reason: 'combined-shipments',
        shipDates: group.map((g) => g.date),
      };
      const c = pick(index, used, u, o.currency);
      if (c) {
        take(c, u, [o]);
        break;
      }
    }
  }
  // Pass 5: paid partly with a gift card or points: the card paid less than the order, around the same days.
  for (const o of orders) {
    if (!open(o) || !o.partialPayment) continue;
    const anchor = lastShipDate(o);
    const candidates = amazon.filter(
      (c) =>
        !used.has(c.charge.key) &&
        c.charge.currency === o.currency &&
        c.charge.amount < o.total &&
        daysBetween(anchor, c.charge.date) >= -w.shipWindow.before &&
        daysBetween(anchor, c.charge.date) <= w.shipWindow.after,
    );
    if (candidates.length === 1)
      take(
        candidates[0]!,
        {
          order: o,
          amount: candidates[0]!.charge.amount,
          date: anchor,
          before: 1,
          after: 7,
          reason: 'partial-payment',
          shipDates: [anchor],
        },
        [o],
      );
  }

  // Duplicates: the same item ordered again within a short time.
  const duplicateOf = new Map<string, Order>();
  const byItem = new Map<string, Order[]>();
  for (const o of orders) {
    if (o.status === 'cancelled') continue;
    for (const it of o.items) {
      const k = `${it.asin ?? it.name}|${it.amount}`;
      const prev = byItem.get(k) ?? [];
      const earlier = prev.find(
        (p) =>
          p.orderId !== o.orderId &&
          (Date.parse(o.orderAt + ':00Z') - Date.parse(p.orderAt + ':00Z')) / 3_600_000 <= w.duplicateHours,
      );
      if (earlier && !duplicateOf.has(o.orderId)) duplicateOf.set(o.orderId, earlier);
      prev.push(o);
      byItem.set(k, prev);
    }
  }

  const orderRisk = assessOrders(orders, knowledge);
  const refundsUsed = new Set<string>();
  const rec = recurring(classified);

  const explained: ExplainedCharge[] = classified.map((c) => {
    const ch = c.charge;
    const findings: LedgerFinding[] = [];
    let category: ChargeCategory;
    let orderIds: string[] = [];
    const m = matchOf.get(ch.key);
    if (!c.kind) category = 'other-merchant';
    else if (c.kind === 'not-retail') {
      category = 'other-merchant';
      findings.push({ id: 'charge.not-retail', severity: 'info', evidence: ch.description, params: {} });
    } else if (ch.amount < 0) {
      category = 'refund';
      const r = input.refunds.find(
        (r) =>
          !refundsUsed.has(r.key) &&
          r.currency === ch.currency &&
          roundMoney(r.amount, r.currency) === roundMoney(-ch.amount, ch.currency) &&
          daysBetween(r.date, ch.date) >= -w.refundWindow.before &&
          daysBetween(r.date, ch.date) <= w.refundWindow.after,
      );
      if (r) {
        refundsUsed.add(r.key);
        orderIds = [r.orderId];
        findings.push({
          id: 'match.refund',
          severity: 'info',
          evidence: `${r.orderId} ${r.date} ${r.amount}`,
          params: { orderId: r.orderId, refundDate: r.date },
        });
      } else {
        const o = orders.find(
          (o) =>
            roundMoney(o.total, o.currency) === roundMoney(-ch.amount, ch.currency) && ch.date >= o.orderDate,
        );
        if (o) {
          orderIds = [o.orderId];
          findings.push({
            id: 'match.refund-order',
            severity: 'info',
            evidence: `${o.orderId} ${o.total}`,
            params: { orderId: o.orderId },
          });
        } else
          findings.push({
            id: 'charge.refund-unmatched',
            severity: 'info',
            evidence: `${ch.date} ${ch.amount}`,
            params: {},
          });
      }
    } else if (c.kind === 'pay') {
      category = 'amazon-pay';
      findings.push({ id: 'charge.amazon-pay', severity: 'low', evidence: ch.description, params: {} });
    } else if (m) {
      const o = m.orders[0]!;
      orderIds = m.orders.map((x) => x.orderId);
      const digitalSub =
        o.kind === 'digital' &&
        o.items.some((i) =>
          /^(prime|kindle unlimited|amazon music unlimited|audible)/i.test(i.name.normalize('NFKC')),
        );
      category =
        o.status === 'cancelled'
          ? 'cancelled-but-charged'
          : duplicateOf.has(o.orderId)
            ? 'duplicate'
            : digitalSub
              ? 'subscription'
              : 'order';
      findings.push({
        id: `match.${m.reason}`,
        severity: 'info',
        evidence: `${o.orderId} ${m.unit.amount} ${m.unit.shipDates.filter(Boolean).join(',') || o.orderDate}`,
        params: { orderId: o.orderId, days: m.gap, expected: m.unit.date },
      });
      if (category === 'duplicate') {
        const first = duplicateOf.get(o.orderId)!;
        findings.push({
          id: 'charge.duplicate',
          severity: 'low',
          evidence: `${o.orderId} = ${first.orderId}: ${o.items[0]?.name ?? ''}`,
          params: { orderId: o.orderId, firstOrderId: first.orderId, item: o.items[0]?.name ?? '' },
        });
      }
      if (category === 'cancelled-but-charged')
        findings.push({
          id: 'charge.cancelled-but-charged',
          severity: 'medium',
          evidence: `${o.orderId} (cancelled)`,
          params: { orderId: o.orderId },
        });
    } else {
      const sub =
        c.kind === 'subscription' || c.kind === 'digital' || c.kind === 'retail'
          ? subscriptionOf(c, w.subscriptionTolerance)
          : null;
      const again = rec.get(ch.key);
      if (c.kind === 'subscription' || (sub && (c.kind !== 'retail' || again)) || again) {
        category = 'subscription';
        if (sub)
          findings.push({
            id: 'match.subscription-price',
            severity: 'info',
            evidence: `${sub.name}: ${ch.amount}`,
            params: { service: sub.name, uncertain: sub.uncertain ? 1 : 0 },
          });
        if (again)
          findings.push({
            id: 'match.recurring',
            severity: 'info',
            evidence: `${again.count}× ${again.period}`,
            params: { period: again.period, count: again.count },
          });
        if (!sub && !again)
          findings.push({
            id: 'charge.subscription-unknown-price',
            severity: 'low',
            evidence: ch.description,
            params: {},
          });
      } else {
        category = 'unexplained';
        findings.push({
          id: 'charge.unexplained',
          severity: 'high',
          evidence: `${ch.date} ${ch.description} ${ch.amount}`,
          params: { kind: c.kind },
        });
      }
    }
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

  // Several unexplained Amazon charges within two days: an account or a card being emptied.
  const unexplained = explained
    .filter((e) => e.category === 'unexplained')
    .sort((a, b) => a.date.localeCompare(b.date));
  for (const e of unexplained) {
    const near = unexplained.filter((x) => Math.abs(daysBetween(e.date, x.date)) <= 2);
    if (near.length >= 3)
      e.findings.push({
        id: 'charge.unexplained-burst',
        severity: 'high',
        evidence: near.map((x) => `${x.date} ${x.amount}`).join(', '),
        params: { count: near.length },
      });
  }

  const explainedOrders: ExplainedOrder[] = orders.map((o) => {
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
        params: { partial: o.partialPayment ? 1 : 0 },
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

  const byCategory: ReconcileResult['summary']['byCategory'] = {};
  const byRisk: Record<RiskLevel, number> = { none: 0, low: 0, medium: 0, high: 0 };
  for (const e of explained) {
    const b = (byCategory[e.category] ??= { count: 0, total: 0 });
    b.count++;
    b.total = roundMoney(b.total + e.amount, e.currency);
    byRisk[e.risk]++;
  }
  const dates = explained.map((e) => e.date).sort();
  return {
    charges: explained,
    orders: explainedOrders,
    summary: {
      charges: explained.length,
      orders: orders.length,
      byCategory,
      byRisk,
      ordersWithoutCharge: explainedOrders.filter((o) => o.findings.some((f) => f.id === 'order.no-charge'))
        .length,
      period: dates.length ? { from: dates[0]!, to: dates[dates.length - 1]! } : null,
    },
  };
}
