import type { Finding } from '#core/findings.ts';
import type { LedgerKnowledge } from '#core/knowledge/compile.ts';
import type { RiskRule } from '#core/knowledge/schema.ts';
import type { Order } from './orders.ts';
import type { RiskDetectorId, RiskParams } from './risk-params.ts';

export type RiskLevel = 'none' | 'low' | 'medium' | 'high';
export const riskLevels: readonly RiskLevel[] = ['none', 'low', 'medium', 'high'];

/** The shared finding shape; the old name stays for code written against it. */
export type LedgerFinding = Finding;

/** What an order detector sees: the order, and the user's orders before it (oldest first). */
export interface OrderView {
  order: Order;
  index: number;
  orders: readonly Order[];
  /** Addresses, sellers seen in earlier orders. */
  seenShipTo: ReadonlySet<string>;
  seenSeller: ReadonlySet<string>;
  /** Order times in minutes (NaN when only the date is known), in the same order as `orders`. */
  times: Float64Array;
  /** The orders whose time is known (oldest first) and their times in minutes: bursts are counted on these. */
  timed: readonly Order[];
  timedTimes: Float64Array;
  knowledge: LedgerKnowledge;
}

function lowerBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

type Hit = { evidence: string; params: Record<string, string | number> } | null;
/** One function per detector id of risk-params.ts, each taking that detector's (already validated) parameters. */
type OrderDetectors = { [K in RiskDetectorId]: (v: OrderView, p: RiskParams[K]) => Hit };
const norm = (s: string) => s.normalize('NFKC').toLowerCase();
// The same addresses, sellers and item names come back order after order: each is folded once per reconcile.
const normCache = new Map<string, string>();
const normOnce = (s: string) => {
  let n = normCache.get(s);
  if (n === undefined) {
    if (normCache.size >= 100_000) normCache.clear();
    normCache.set(s, (n = norm(s)));
  }
  return n;
};
/** A risky-items rule's words and exceptions as matched (its params are the knowledge's, the same object each time). */
const riskyWords = new WeakMap<object, { words: string[]; except: string[] }>();
const hourOf = (at: string) => Number(at.slice(11, 13));
const minutesOf = (at: string) => Date.parse(at + ':00Z') / 60000;
const itemNames = (o: Order) => o.items.map((i) => i.name).join(' / ');

const detectors: OrderDetectors = {
  night: (v, p) => {
    const h = hourOf(v.order.orderAt);
    if (v.order.orderAt.endsWith('T00:00')) return null; // time unknown (date-only exports)
    return h >= p.fromHour && h < p.toHour
      ? {
          evidence: `${v.order.orderAt.replace('T', ' ')} ${v.order.orderId}`,
          params: { time: v.order.orderAt.slice(11) },
        }
      : null;
  },
  'risky-items': (v, p) => {
    let compiled = riskyWords.get(p);
    if (!compiled) {
      const list = v.knowledge.lists.get(p.list);
      if (!list) throw new Error(`list ${p.list} is not defined`);
      compiled = { words: [...list], except: p.except.map(norm) };
      riskyWords.set(p, compiled);
    }
    const { words, except } = compiled;
    for (const item of v.order.items) {
      const n = normOnce(item.name);
      const w = words.find((x) => n.includes(x));
      if (w && !except.some((x) => n.includes(x)))
        return { evidence: item.name, params: { item: item.name, word: w } };
    }
    return null;
  },
  'gift-to-other': (v) =>
    v.order.giftTo
      ? { evidence: `${v.order.orderId} → ${v.order.giftTo}`, params: { to: v.order.giftTo } }
      : null,
  'new-ship-to': (v, p) => {
    const to = v.order.shipTo;
    if (!to || v.order.kind === 'digital' || v.seenShipTo.size === 0 || v.index < p.minHistory) return null;
    return v.seenShipTo.has(normOnce(to)) ? null : { evidence: to, params: { shipTo: to } };
  },
  'new-seller': (v, p) => {
    const s = v.order.seller;
    if (!s || v.seenSeller.size === 0 || v.index < p.minHistory) return null;
    return v.seenSeller.has(normOnce(s))
      ? null
      : { evidence: `${s}: ${itemNames(v.order).slice(0, 80)}`, params: { seller: s } };
  },
  'unusual-amount': (v, p) => {
    if (v.index < p.minHistory || v.order.total < (p.minAmount[v.order.currency] ?? 0)) return null;
    const recent = v.orders
      .slice(Math.max(0, v.index - p.recentOrders), v.index)
      .map((o) => o.total)
      .sort((a, b) => a - b);
    const median = recent[Math.floor(recent.length / 2)] ?? 0;
    return median > 0 && v.order.total > median * p.factor
      ? {
          evidence: `${v.order.total} ${v.order.currency} (usual ${median})`,
          params: { amount: v.order.total, usual: median },
        }
      : null;
  },
  burst: (v, p) => {
    if (v.order.orderAt.endsWith('T00:00')) return null;
    const t = v.times[v.index]!;
    // Counted by binary search and listed up to `maxEvidence` (data/reconcile.yaml): orders sharing one timestamp (thousands in a hostile
    // or broken export) cost a logarithm each, not a scan of the others (5,000 of them overflowed a string).
    const lo = lowerBound(v.timedTimes, t - p.minutes);
    const hi = lowerBound(v.timedTimes, t + p.minutes + 1e-9);
    const count = hi - lo;
    if (count < p.count) return null;
    const shown = v.timed.slice(lo, Math.min(hi, lo + v.knowledge.reconcile.maxEvidence));
    return {
      evidence:
        shown.map((o) => `${o.orderAt.slice(11)} ${o.orderId}`).join(', ') +
        (count > shown.length ? ` … +${count - shown.length}` : ''),
      params: { count, minutes: p.minutes },
    };
  },
};

export function levelOf(score: number, k: LedgerKnowledge): RiskLevel {
  const t = k.reconcile.risk;
  return score >= t.high ? 'high' : score >= t.medium ? 'medium' : score >= t.low ? 'low' : 'none';
}

/**
 * The rule's detector with its parameters. The knowledge build checked both (risk-params.ts), so the parameters
 * are used as they are: the one place where a rule's loosely typed params meet its detector's type.
 */
function runner(rule: RiskRule): (v: OrderView) => Hit {
  const id = rule.detector as RiskDetectorId;
  const run = detectors[id] as (v: OrderView, p: unknown) => Hit;
  if (!run) throw new Error(`risk rule ${rule.id}: unknown detector ${rule.detector}`);
  return (v) => run(v, rule.params);
}

/** Risk of every order, each judged against the user's orders before it. */
export function assessOrders(
  orders: readonly Order[],
  knowledge: LedgerKnowledge,
): Map<string, { risk: RiskLevel; score: number; findings: Finding[] }> {
  const out = new Map<string, { risk: RiskLevel; score: number; findings: Finding[] }>();
  const seenShipTo = new Set<string>();
  const seenSeller = new Set<string>();
  const parsed = knowledge.riskRules
    .filter((r) => r.id.startsWith('order.'))
    .map((rule) => ({ rule, run: runner(rule) }));
  const times = Float64Array.from(orders, (o) => minutesOf(o.orderAt));
  const timed = orders.filter((o) => !o.orderAt.endsWith('T00:00'));
  const timedTimes = Float64Array.from(timed, (o) => minutesOf(o.orderAt));
  orders.forEach((order, index) => {
    const view: OrderView = {
      order,
      index,
      orders,
      seenShipTo,
      seenSeller,
      times,
      timed,
      timedTimes,
      knowledge,
    };
    const findings: Finding[] = [];
    let score = 0;
    for (const { rule, run } of parsed) {
      const hit = run(view);
      if (!hit) continue;
      score += rule.weight;
      findings.push({ id: rule.id, severity: rule.severity, evidence: hit.evidence, params: hit.params });
    }
    out.set(order.orderId, { risk: levelOf(score, knowledge), score, findings });
    if (order.shipTo) seenShipTo.add(normOnce(order.shipTo));
    if (order.seller) seenSeller.add(normOnce(order.seller));
  });
  return out;
}

export type { RiskRule };
