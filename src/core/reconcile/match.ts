import type { ReconcileSettings } from '#core/knowledge/schema.ts';
import { isPasted, methodLast4 } from '#core/ledger/pasted/records.ts';
import { daysBetween, roundMoney } from '#core/ledger/values.ts';
import { ChargeRun, dayNumber } from './charge-index.ts';
import type { Classified } from './classify.ts';
import type { Order } from './orders.ts';

export type MatchReason =
  | 'pasted-transaction'
  | 'export-payment'
  | 'shipment'
  | 'order-total'
  | 'combined-shipments'
  | 'partial-payment';

/** What one charge is expected to pay: an amount, around a day, for a reason. */
export interface Unit {
  order: Order;
  amount: number;
  /** The day the charge is expected around, and the window around it. */
  date: string;
  before: number;
  after: number;
  reason: MatchReason;
  shipDates: (string | null)[];
  /** A partial payment: the part of the order the charge stands for (the gift card or points paid the rest). */
  covered?: number;
}

export interface Match {
  orders: Order[];
  reason: MatchReason;
  unit: Unit;
  /** Days from the expected date to the charge date (negative: charged before). */
  gap: number;
}

export interface Matches {
  byCharge: Map<string, Match>;
  chargesOfOrder: Map<string, string[]>;
}

/** The state the passes share: each charge and each shipment is taken once. */
interface Matching extends Matches {
  settings: ReconcileSettings;
  purchases: readonly Classified[];
  /** The purchases of each amount, by date, skipping those taken. */
  index: Map<string, ChargeRun>;
  /** All purchases by date (the partial-payment pass looks by date, not amount). */
  byDate: ChargeRun;
  used: Set<string>;
  /** Shipments (by position) of an order that were matched one by one. */
  shipmentsDone: Map<string, Set<number>>;
  /**
   * Orders known only from a pasted transactions page: their charges are the page's own (matched by amount, card
   * and day, or not at all), never guessed again by the passes below (a charge on another card is not theirs).
   */
  pastedOnly: Set<string>;
}

const moneyKey = (amount: number, currency: string) => `${currency}:${roundMoney(amount, currency)}`;

function take(m: Matching, c: Classified, u: Unit, orders: Order[]): void {
  m.used.add(c.charge.key);
  m.byCharge.set(c.charge.key, {
    orders,
    reason: u.reason,
    unit: u,
    gap: daysBetween(u.date, c.charge.date),
  });
  for (const o of orders)
    m.chargesOfOrder.set(o.orderId, [...(m.chargesOfOrder.get(o.orderId) ?? []), c.charge.key]);
}

/** The unmatched charge of that amount closest to the expected date, inside the window (a day late beats a day early). */
function pick(m: Matching, u: Unit, currency: string): Classified | null {
  const run = m.index.get(moneyKey(u.amount, currency));
  return run ? run.closest(dayNumber(u.date), u.before, u.after) : null;
}

const open = (m: Matching, o: Order) => !m.chargesOfOrder.has(o.orderId) && !m.pastedOnly.has(o.orderId);

/** Paid partly with a gift card or points (a payment method with one of the settings' words): the card pays less. */
export function paidPartly(settings: ReconcileSettings): (o: Order) => boolean {
  const re = new RegExp(
    settings.partialPaymentWords.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'),
    'i',
  );
  return (o) => o.paymentMethods.some((p) => re.test(p));
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

/**
 * Days around a pasted transaction's date a card line may carry: Amazon's transactions page and the card's
 * statement both date the charge itself, but a day apart across midnight (the page's zone against the card's).
 */
const PASTED_WINDOW = 1;

/**
 * Charges the person pasted from Amazon's payments transactions page: same amount, same day (± PASTED_WINDOW),
 * and the same card where both name its last four digits (a statement without them is not refused).
 */
function matchPastedTransactions(m: Matching, orders: readonly Order[]): void {
  for (const o of orders) {
    if (o.items.length === 0 && o.payments.length > 0 && o.payments.every((p) => isPasted(p.source)))
      m.pastedOnly.add(o.orderId);
    for (const p of o.payments) {
      if (!isPasted(p.source)) continue;
      const run = m.index.get(moneyKey(p.amount, p.currency));
      if (!run) continue;
      const day = dayNumber(p.date);
      const last4 = methodLast4(p.method);
      const best = run
        .freeBetween(day - PASTED_WINDOW, day + PASTED_WINDOW, 64)
        .filter((c) => c.charge.currency === p.currency)
        .filter((c) => !last4 || !c.charge.card?.last4 || c.charge.card.last4 === last4)
        .sort(
          (a, b) => Math.abs(dayNumber(a.charge.date) - day) - Math.abs(dayNumber(b.charge.date) - day),
        )[0];
      if (!best) continue;
      take(
        m,
        best,
        {
          order: o,
          amount: p.amount,
          date: p.date,
          before: PASTED_WINDOW,
          after: PASTED_WINDOW,
          reason: 'pasted-transaction',
          shipDates: [p.date],
        },
        [o],
      );
    }
  }
}

/** Payments the export itself records (the JP extension's card rows, legacy shipment totals). */
function matchExportPayments(m: Matching, orders: readonly Order[]): void {
  const w = m.settings.exportPaymentWindow;
  for (const o of orders) {
    for (const p of o.payments) {
      if (isPasted(p.source)) continue;
      const u: Unit = {
        order: o,
        amount: p.amount,
        date: p.date,
        before: w.before,
        after: w.after,
        reason: 'export-payment',
        shipDates: [p.date],
      };
      const c = pick(m, u, o.currency);
      if (c) take(m, c, u, [o]);
    }
  }
}

/** One charge per shipment, around its ship date (Amazon charges when it ships). */
function matchShipments(m: Matching, orders: readonly Order[]): void {
  const w = m.settings.shipWindow;
  for (const o of orders) {
    if (!open(m, o) || o.shipments.length < 2) continue;
    o.shipments.forEach((s, k) => {
      if (!s.date) return;
      const u: Unit = {
        order: o,
        amount: s.amount,
        date: s.date,
        before: w.before,
        after: w.after,
        reason: 'shipment',
        shipDates: [s.date],
      };
      const c = pick(m, u, o.currency);
      if (c) {
        take(m, c, u, [o]);
        m.shipmentsDone.set(o.orderId, (m.shipmentsDone.get(o.orderId) ?? new Set()).add(k));
      }
    });
  }
}

/** The whole order in one charge (one shipment, digital orders, or shipments billed together). */
function matchOrderTotals(m: Matching, orders: readonly Order[]): void {
  const { shipWindow, orderWindow } = m.settings;
  for (const o of orders) {
    if (!open(m, o) || o.total <= 0) continue;
    const anchor = lastShipDate(o);
    const u: Unit = {
      order: o,
      amount: o.total,
      date: anchor,
      before: shipWindow.before + daysBetween(o.orderDate, anchor),
      after: orderWindow.after,
      reason: 'order-total',
      shipDates: o.shipments.map((s) => s.date),
    };
    const c = pick(m, u, o.currency);
    if (c) take(m, c, u, [o]);
  }
}

/** The shipments not matched yet, some of them billed together (the smallest groups first). */
function matchCombinedShipments(m: Matching, orders: readonly Order[]): void {
  const w = m.settings.shipWindow;
  for (const o of orders) {
    const done = m.shipmentsDone.get(o.orderId) ?? new Set<number>();
    if ((!open(m, o) && done.size === 0) || o.shipments.length < 2) continue;
    const rest = o.shipments
      .filter((s, k) => s.date && !done.has(k))
      .slice(0, m.settings.maxShipmentCombination);
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
        before: w.before,
        after: w.after,
        reason: 'combined-shipments',
        shipDates: group.map((g) => g.date),
      };
      const c = pick(m, u, o.currency);
      if (c) {
        take(m, c, u, [o]);
        break;
      }
    }
  }
}

/**
 * Paid partly with a gift card or points ("Gift Certificate/Card and Visa - 1234"): the balance goes first and the
 * card pays the remainder, when the part it reaches ships. So the card pays in full every shipment after that one
 * (matched above, shipment by shipment) and one charge below the rest of the order: the shipments not matched yet.
 * The candidates are the unused charges below that rest, around the order's ship dates; the lone one, or the one
 * closest to a ship date, is the order's (two equally close: none is forced).
 */
function matchPartialPayments(m: Matching, orders: readonly Order[]): void {
  const w = m.settings.shipWindow;
  const partly = paidPartly(m.settings);
  for (const o of orders) {
    if (!partly(o) || o.status === 'cancelled') continue;
    const done = m.shipmentsDone.get(o.orderId) ?? new Set<number>();
    // Matched whole (order total, combined shipments): nothing is left for the card to pay.
    if (!open(m, o) && done.size === 0) continue;
    const rest = o.shipments.filter((_, k) => !done.has(k));
    const covered = roundMoney(
      rest.reduce((sum, s) => sum + s.amount, 0),
      o.currency,
    );
    if (covered <= 0) continue;
    // Around any of the order's ship dates: shipments of equal amounts may have been matched the other way round.
    const dates = o.shipments.map((s) => s.date).filter((d): d is string => !!d);
    const anchors = dates.length ? dates : [lastShipDate(o)];
    // The closest ship date inside the window (a day late beats a day early), as `pick` scores it.
    const nearest = (date: string) => {
      let best: { anchor: string; score: number } | null = null;
      for (const anchor of anchors) {
        const gap = daysBetween(anchor, date);
        if (gap < -w.before || gap > w.after) continue;
        const score = Math.abs(gap) + (gap < 0 ? 0.5 : 0);
        if (!best || score < best.score) best = { anchor, score };
      }
      return best;
    };
    // Only the free charges dated inside the window around the ship dates (by the date index, not a scan of
    // every purchase for every order).
    const days = anchors.map(dayNumber);
    const candidates = m.byDate
      .freeBetween(Math.min(...days) - w.before, Math.max(...days) + w.after, Infinity)
      .filter((c) => c.charge.currency === o.currency && c.charge.amount < covered)
      .flatMap((c) => {
        const near = nearest(c.charge.date);
        return near ? [{ c, ...near }] : [];
      })
      .sort((x, y) => x.score - y.score);
    const [best, next] = candidates;
    if (!best || (next && next.score === best.score)) continue;
    take(
      m,
      best.c,
      {
        order: o,
        amount: best.c.charge.amount,
        date: best.anchor,
        before: w.before,
        after: w.after,
        reason: 'partial-payment',
        shipDates: rest.map((s) => s.date),
        covered,
      },
      [o],
    );
  }
}

/** The passes, strongest evidence first. */
const matchPasses: readonly ((m: Matching, orders: readonly Order[]) => void)[] = [
  matchPastedTransactions,
  matchExportPayments,
  matchShipments,
  matchOrderTotals,
  matchCombinedShipments,
  matchPartialPayments,
];

/** Matches purchases to orders, pass by pass; each charge and each unit is used once, closest date first. */
export function matchCharges(
  purchases: readonly Classified[],
  orders: readonly Order[],
  settings: ReconcileSettings,
): Matches {
  const groups = new Map<string, Classified[]>();
  for (const c of purchases) {
    const k = moneyKey(c.charge.amount, c.charge.currency);
    const l = groups.get(k);
    if (l) l.push(c);
    else groups.set(k, [c]);
  }
  const used = new Set<string>();
  const taken = (c: Classified) => used.has(c.charge.key);
  const index = new Map([...groups].map(([k, l]) => [k, new ChargeRun(l, taken)]));
  const m: Matching = {
    settings,
    purchases,
    index,
    byDate: new ChargeRun(purchases, taken),
    used,
    byCharge: new Map(),
    chargesOfOrder: new Map(),
    shipmentsDone: new Map(),
    pastedOnly: new Set(),
  };
  for (const pass of matchPasses) pass(m, orders);
  return { byCharge: m.byCharge, chargesOfOrder: m.chargesOfOrder };
}
