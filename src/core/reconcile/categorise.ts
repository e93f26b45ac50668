import type { Finding } from '#core/findings.ts';
import type { Merchant, ReconcileSettings } from '#core/knowledge/schema.ts';
import type { Refund } from '#core/ledger/types.ts';
import { daysBetween, normaliseDescriptor, roundMoney } from '#core/ledger/values.ts';
import { dayNumber } from './charge-index.ts';
import type { Classified } from './classify.ts';
import type { Match, Matches } from './match.ts';
import type { Order } from './orders.ts';
import type { ChargeCategory } from './types.ts';

/** A charge with its category, the orders that explain it and the findings that say why. */
export interface Categorised {
  classified: Classified;
  category: ChargeCategory;
  orderIds: string[];
  findings: Finding[];
}

/** The same item (ASIN or name, and price) ordered again within `duplicateHours`: the later order → the first. */
export function findDuplicates(orders: readonly Order[], settings: ReconcileSettings): Map<string, Order> {
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
          (Date.parse(o.orderAt + ':00Z') - Date.parse(p.orderAt + ':00Z')) / 3_600_000 <=
            settings.duplicateHours,
      );
      if (earlier && !duplicateOf.has(o.orderId)) duplicateOf.set(o.orderId, earlier);
      prev.push(o);
      byItem.set(k, prev);
    }
  }
  return duplicateOf;
}

type Recurrence = { period: 'month' | 'year'; count: number };

/** Same descriptor and amount again about a month or a year later: a subscription whatever its name. */
function recurring(all: readonly Classified[], settings: ReconcileSettings): Map<string, Recurrence> {
  const groups = new Map<string, Classified[]>();
  const normalised = new Map<string, string>();
  for (const c of all) {
    if (!c.kind || c.charge.amount <= 0 || c.kind === 'pay' || c.kind === 'not-retail') continue;
    let d = normalised.get(c.charge.description);
    if (d === undefined)
      normalised.set(c.charge.description, (d = normaliseDescriptor(c.charge.description)));
    const k = `${d}|${c.charge.amount}`;
    const g = groups.get(k);
    if (g) g.push(c);
    else groups.set(k, [c]);
  }
  const { month, year } = settings.recurrence;
  const out = new Map<string, Recurrence>();
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    g.sort((a, b) => a.charge.date.localeCompare(b.charge.date));
    const gaps = g.slice(1).map((c, i) => daysBetween(g[i]!.charge.date, c.charge.date));
    const monthly = gaps.every((d) => d >= month.minDays && d <= month.maxDays);
    const yearly = gaps.every((d) => d >= year.minDays && d <= year.maxDays);
    if (monthly || yearly)
      for (const c of g) out.set(c.charge.key, { period: monthly ? 'month' : 'year', count: g.length });
  }
  return out;
}

/** The profile's subscription whose price point (valid on the charge date) the amount is, within the tolerance. */
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

/** A digital order for a subscription: an item named as the storefront's profile says its subscriptions read. */
function subscriptionItems(merchants: readonly Merchant[]): (o: Order) => boolean {
  const byStorefront = new Map(
    merchants.map((m) => [
      m.id,
      (m.subscriptions ?? []).flatMap((s) => (s.orderItems ?? []).map((p) => new RegExp(p, 'iu'))),
    ]),
  );
  return (o) => {
    if (o.kind !== 'digital') return false;
    const res = byStorefront.get(o.storefront) ?? [];
    return o.items.some((i) => {
      const name = i.name.normalize('NFKC');
      return res.some((re) => re.test(name));
    });
  };
}

interface Context {
  orders: readonly Order[];
  refunds: readonly Refund[];
  refundsUsed: Set<string>;
  matches: Matches;
  duplicateOf: ReadonlyMap<string, Order>;
  recurrence: ReadonlyMap<string, Recurrence>;
  isSubscriptionOrder: (o: Order) => boolean;
  settings: ReconcileSettings;
  /** No order data at all: an unmatched purchase is unverified, not unexplained. */
  noOrderData: boolean;
}

/** A credit: the refund the export records (amount, days), else an order of that total, else unmatched. */
function refund(c: Classified, x: Context): Omit<Categorised, 'classified'> {
  const ch = c.charge;
  const w = x.settings.refundWindow;
  const r = x.refunds.find(
    (r) =>
      !x.refundsUsed.has(r.key) &&
      r.currency === ch.currency &&
      roundMoney(r.amount, r.currency) === roundMoney(-ch.amount, ch.currency) &&
      daysBetween(r.date, ch.date) >= -w.before &&
      daysBetween(r.date, ch.date) <= w.after,
  );
  if (r) {
    x.refundsUsed.add(r.key);
    return {
      category: 'refund',
      orderIds: [r.orderId],
      findings: [
        {
          id: 'match.refund',
          severity: 'info',
          evidence: `${r.orderId} ${r.date} ${r.amount}`,
          params: { orderId: r.orderId, refundDate: r.date },
        },
      ],
    };
  }
  const o = x.orders.find(
    (o) => roundMoney(o.total, o.currency) === roundMoney(-ch.amount, ch.currency) && ch.date >= o.orderDate,
  );
  if (o)
    return {
      category: 'refund',
      orderIds: [o.orderId],
      findings: [
        {
          id: 'match.refund-order',
          severity: 'info',
          evidence: `${o.orderId} ${o.total}`,
          params: { orderId: o.orderId },
        },
      ],
    };
  return {
    category: 'refund',
    orderIds: [],
    findings: [
      { id: 'charge.refund-unmatched', severity: 'info', evidence: `${ch.date} ${ch.amount}`, params: {} },
    ],
  };
}

/** A matched charge: the order it pays, and whether that order was cancelled, a duplicate or a subscription. */
function matched(m: Match, x: Context): Omit<Categorised, 'classified'> {
  const o = m.orders[0]!;
  const category: ChargeCategory =
    o.status === 'cancelled'
      ? 'cancelled-but-charged'
      : x.duplicateOf.has(o.orderId)
        ? 'duplicate'
        : x.isSubscriptionOrder(o)
          ? 'subscription'
          : 'order';
  const findings: Finding[] = [
    {
      id: `match.${m.reason}`,
      severity: 'info',
      evidence: `${o.orderId} ${m.unit.amount} ${m.unit.shipDates.filter(Boolean).join(',') || o.orderDate}`,
      params: {
        orderId: o.orderId,
        days: m.gap,
        expected: m.unit.date,
        // A partial payment: what the charge stands for, and what the gift card or points paid of it.
        ...(m.unit.covered === undefined
          ? {}
          : {
              covered: m.unit.covered,
              giftCard: roundMoney(m.unit.covered - m.unit.amount, o.currency),
            }),
      },
    },
  ];
  if (category === 'duplicate') {
    const first = x.duplicateOf.get(o.orderId)!;
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
  return { category, orderIds: m.orders.map((y) => y.orderId), findings };
}

/** An Amazon charge no order explains: a subscription by price point or recurrence, else unexplained. */
function unmatched(c: Classified, x: Context): Omit<Categorised, 'classified'> {
  const ch = c.charge;
  const sub =
    c.kind === 'subscription' || c.kind === 'digital' || c.kind === 'retail'
      ? subscriptionOf(c, x.settings.subscriptionTolerance)
      : null;
  const again = x.recurrence.get(ch.key);
  // A retail descriptor at a subscription's price is only a subscription when it also recurs.
  if (c.kind === 'subscription' || (sub && (c.kind !== 'retail' || again)) || again) {
    const findings: Finding[] = [];
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
    return { category: 'subscription', orderIds: [], findings };
  }
  if (x.noOrderData)
    return {
      category: 'unverified',
      orderIds: [],
      findings: [
        {
          id: 'charge.unverified',
          severity: 'info',
          evidence: `${ch.date} ${ch.description} ${ch.amount}`,
          params: { kind: c.kind!, reason: 'no-orders' },
        },
      ],
    };
  return {
    category: 'unexplained',
    orderIds: [],
    findings: [
      {
        id: 'charge.unexplained',
        severity: 'high',
        evidence: `${ch.date} ${ch.description} ${ch.amount}`,
        params: { kind: c.kind! },
      },
    ],
  };
}

/** Several unexplained charges within a few days: an account or a card being emptied. */
function flagBursts(all: readonly Categorised[], settings: ReconcileSettings): void {
  const { count, days } = settings.unexplainedBurst;
  const unexplained = all
    .filter((e) => e.category === 'unexplained')
    .sort((a, b) => a.classified.charge.date.localeCompare(b.classified.charge.date));
  // Counted by binary search over day numbers and listed up to `maxEvidence`: thousands of unexplained charges
  // within a few days cost a logarithm each, not a scan of all the others.
  const day = Int32Array.from(unexplained, (e) => dayNumber(e.classified.charge.date));
  const bound = (x: number) => {
    let lo = 0;
    let hi = day.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (day[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  unexplained.forEach((e, i) => {
    const lo = bound(day[i]! - days);
    const hi = bound(day[i]! + days + 1);
    const n = hi - lo;
    if (n < count) return;
    const shown = unexplained.slice(lo, Math.min(hi, lo + settings.maxEvidence));
    e.findings.push({
      id: 'charge.unexplained-burst',
      severity: 'high',
      evidence:
        shown.map((x) => `${x.classified.charge.date} ${x.classified.charge.amount}`).join(', ') +
        (n > shown.length ? ` … +${n - shown.length}` : ''),
      params: { count: n },
    });
  });
}

/** One category per charge, in the charges' order (refunds are paired in that order). */
export function categorise(
  classified: readonly Classified[],
  input: {
    orders: readonly Order[];
    refunds: readonly Refund[];
    matches: Matches;
    duplicateOf: ReadonlyMap<string, Order>;
  },
  knowledge: { merchants: readonly Merchant[]; reconcile: ReconcileSettings },
): Categorised[] {
  const x: Context = {
    ...input,
    refundsUsed: new Set(),
    recurrence: recurring(classified, knowledge.reconcile),
    isSubscriptionOrder: subscriptionItems(knowledge.merchants),
    settings: knowledge.reconcile,
    noOrderData: input.orders.length === 0,
  };
  const out = classified.map((c): Categorised => {
    const ch = c.charge;
    const m = x.matches.byCharge.get(ch.key);
    if (!c.kind) return { classified: c, category: 'other-merchant', orderIds: [], findings: [] };
    if (c.kind === 'not-retail')
      return {
        classified: c,
        category: 'other-merchant',
        orderIds: [],
        findings: [{ id: 'charge.not-retail', severity: 'info', evidence: ch.description, params: {} }],
      };
    if (ch.amount < 0) return { classified: c, ...refund(c, x) };
    if (c.kind === 'pay')
      return {
        classified: c,
        category: 'amazon-pay',
        orderIds: [],
        findings: [{ id: 'charge.amazon-pay', severity: 'low', evidence: ch.description, params: {} }],
      };
    if (m) return { classified: c, ...matched(m, x) };
    return { classified: c, ...unmatched(c, x) };
  });
  flagBursts(out, knowledge.reconcile);
  return out;
}
