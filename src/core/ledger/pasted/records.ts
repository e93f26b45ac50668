import type { OrderLine, OrderPayment, Refund, SourceRef, Storefront } from '#core/ledger/types.ts';
import type { StoredLedger } from '#core/ports/store.ts';
import type { CardRef, PageKind, PasteReading } from './extract.ts';

/**
 * Pasted rows are stored in the ordinary record types, told apart by their source: `file` is
 * `pasted:<page kind>:<time>` and `row` the line of the paste. Keys start with `pasted|`, so they never collide
 * with an export's, and repeat for the same order or charge, so pasting a page twice stores nothing new.
 * The paste's text itself is never stored: only the fields read (order number, dates, amounts, the card's brand
 * and last four digits, the merchant's name), never a name or an address.
 */
export const PASTED_PREFIX = 'pasted:';

export const pastedFile = (page: PageKind, at: string) => `${PASTED_PREFIX}${page}:${at}`;

export function pastedOrigin(source: SourceRef): { page: PageKind; at: string } | null {
  if (!source.file.startsWith(PASTED_PREFIX)) return null;
  const rest = source.file.slice(PASTED_PREFIX.length);
  const colon = rest.indexOf(':');
  if (colon < 0) return null;
  return { page: rest.slice(0, colon) as PageKind, at: rest.slice(colon + 1) };
}

export const isPasted = (source: SourceRef) => source.file.startsWith(PASTED_PREFIX);

/** How a card is named in a payment's `method` (`Visa ****1234`), as the export names it. */
export function cardMethod(card: CardRef | null): string | null {
  if (!card || (!card.brand && !card.last4)) return null;
  return [card.brand, card.last4 ? `****${card.last4}` : null].filter(Boolean).join(' ');
}

/** The last four digits a payment's method names, if any. */
export const methodLast4 = (method: string | null) => /(\d{4})\s*$/.exec(method ?? '')?.[1] ?? null;

export interface PastedRecords {
  lines: OrderLine[];
  payments: OrderPayment[];
  refunds: Refund[];
}

/** The records a reading gives (orders without a date are not stored: nothing would place them in time). */
export function pastedRecords(reading: PasteReading, at: string): PastedRecords {
  const out: PastedRecords = { lines: [], payments: [], refunds: [] };
  if (!reading.page) return out;
  const file = pastedFile(reading.page, at);
  const nth = new Map<string, number>();
  const occurrence = (k: string) => {
    const n = (nth.get(k) ?? 0) + 1;
    nth.set(k, n);
    return n;
  };
  for (const c of reading.charges) {
    const last4 = c.card?.last4 ?? '';
    const base = `${c.orderId}|${c.date}|${c.currency}${c.amount}|${last4}`;
    const source = { file, row: c.lines[0] ?? 0 };
    if (c.type === 'charge')
      out.payments.push({
        key: `pasted|pay|${base}|${occurrence(`p${base}`)}`,
        orderId: c.orderId,
        date: c.date,
        amount: c.amount,
        currency: c.currency,
        method: cardMethod(c.card),
        source,
      });
    else
      out.refunds.push({
        key: `pasted|refund|${base}|${occurrence(`r${base}`)}`,
        orderId: c.orderId,
        date: c.date,
        amount: c.amount,
        currency: c.currency,
        source,
      });
  }
  for (const o of reading.orders) {
    if (!o.date) continue;
    const storefront: Storefront = o.currency === 'USD' ? 'amazon-us' : 'amazon-jp';
    out.lines.push({
      key: `pasted|line|${reading.page}|${o.orderId}`,
      orderId: o.orderId,
      storefront,
      kind: o.digital ? 'digital' : 'physical',
      orderAt: `${o.date}T00:00`,
      shipDate: o.shipDate,
      name: '',
      asin: null,
      quantity: 1,
      amount: o.total ?? 0,
      currency: o.currency,
      status: o.status,
      payment: cardMethod(o.card),
      shipTo: null,
      seller: null,
      category: null,
      giftTo: null,
      source: { file, row: o.lines[0] ?? 0 },
    });
  }
  return out;
}

/** Which pasted page tells most about an order, when several were pasted. */
const PAGE_RANK: Record<PageKind, number> = {
  'order-details': 3,
  'digital-orders': 2,
  orders: 1,
  transactions: 0,
};

/**
 * What reconciliation reads: an export's row wins over a pasted one where they overlap, so nothing counts twice.
 * - Item lines: an order the export has lines for drops its pasted lines; an order pasted from several pages
 *   keeps the fullest page's (details before digital orders before Your Orders), the latest paste of it.
 * - Payments: a pasted charge the export also records (same order, amount and day) is dropped.
 * - Refunds: a pasted refund the export also records (same order and amount) is dropped.
 * Order within each list is kept (the store's order is part of its contract).
 */
export function supersedePasted(ledger: StoredLedger): StoredLedger {
  const exportOrders = new Set(ledger.lines.filter((l) => !isPasted(l.source)).map((l) => l.orderId));
  const best = new Map<string, { rank: number; at: string; file: string }>();
  for (const l of ledger.lines) {
    const o = pastedOrigin(l.source);
    if (!o || exportOrders.has(l.orderId)) continue;
    const rank = PAGE_RANK[o.page] ?? 0;
    const cur = best.get(l.orderId);
    if (!cur || rank > cur.rank || (rank === cur.rank && o.at > cur.at))
      best.set(l.orderId, { rank, at: o.at, file: l.source.file });
  }
  const lines = ledger.lines.filter(
    (l) =>
      !isPasted(l.source) || (!exportOrders.has(l.orderId) && best.get(l.orderId)?.file === l.source.file),
  );
  const payKey = (p: OrderPayment) => `${p.orderId}|${p.date}|${p.currency}${p.amount}`;
  const exportPays = new Set(ledger.payments.filter((p) => !isPasted(p.source)).map(payKey));
  const payments = ledger.payments.filter((p) => !isPasted(p.source) || !exportPays.has(payKey(p)));
  const refundKey = (r: Refund) => `${r.orderId}|${r.currency}${r.amount}`;
  const exportRefunds = new Set(ledger.refunds.filter((r) => !isPasted(r.source)).map(refundKey));
  const refunds = ledger.refunds.filter((r) => !isPasted(r.source) || !exportRefunds.has(refundKey(r)));
  return { lines, payments, refunds, charges: ledger.charges };
}
