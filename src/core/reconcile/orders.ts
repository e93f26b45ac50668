import type { Currency, OrderLine, OrderPayment, Storefront } from '#core/ledger/types.ts';
import { roundMoney } from '#core/ledger/values.ts';

export interface Shipment {
  date: string | null;
  amount: number;
}

/** An order as reconciliation sees it: its lines grouped, totals summed, shipments split. */
export interface Order {
  orderId: string;
  storefront: Storefront;
  kind: 'physical' | 'digital';
  orderAt: string;
  orderDate: string;
  total: number;
  currency: Currency;
  status: 'ok' | 'cancelled' | 'pending';
  items: { name: string; amount: number; quantity: number; asin: string | null }[];
  shipments: Shipment[];
  payments: OrderPayment[];
  paymentMethod: string | null;
  /** Every payment method the order's item lines name (a gift card or points beside a card: a partial payment). */
  paymentMethods: string[];
  shipTo: string | null;
  seller: string | null;
  giftTo: string | null;
  sources: string[];
}

/** Groups item lines (and export payments) into orders. Cancelled lines do not count toward the total. */
export function assembleOrders(lines: readonly OrderLine[], payments: readonly OrderPayment[] = []): Order[] {
  const byId = new Map<string, OrderLine[]>();
  for (const l of lines) {
    const list = byId.get(l.orderId);
    if (list) list.push(l);
    else byId.set(l.orderId, [l]);
  }
  const payBy = new Map<string, OrderPayment[]>();
  for (const p of payments) {
    const list = payBy.get(p.orderId);
    if (list) list.push(p);
    else payBy.set(p.orderId, [p]);
  }
  const orders: Order[] = [];
  for (const [orderId, ls] of byId) {
    const first = ls[0]!;
    const live = ls.filter((l) => l.status !== 'cancelled');
    const currency = first.currency;
    const total = roundMoney(
      live.reduce((s, l) => s + l.amount, 0),
      currency,
    );
    const ship = new Map<string, number>();
    for (const l of live) ship.set(l.shipDate ?? '', (ship.get(l.shipDate ?? '') ?? 0) + l.amount);
    const orderAt = ls.map((l) => l.orderAt).sort()[0]!;
    const method = ls.map((l) => l.payment).find(Boolean) ?? null;
    const status =
      live.length === 0 ? 'cancelled' : live.some((l) => l.status === 'pending') ? 'pending' : 'ok';
    orders.push({
      orderId,
      storefront: first.storefront,
      kind: ls.every((l) => l.kind === 'digital') || orderId.startsWith('D01-') ? 'digital' : 'physical',
      orderAt,
      orderDate: orderAt.slice(0, 10),
      total:
        status === 'cancelled'
          ? roundMoney(
              ls.reduce((s, l) => s + l.amount, 0),
              currency,
            )
          : total,
      currency,
      status,
      items: ls.map((l) => ({ name: l.name, amount: l.amount, quantity: l.quantity, asin: l.asin })),
      shipments: [...ship]
        .map(([date, amount]) => ({ date: date || null, amount: roundMoney(amount, currency) }))
        .sort((a, b) => (a.date ?? '').localeCompare(b.date ?? '')),
      payments: payBy.get(orderId) ?? [],
      paymentMethod: method,
      paymentMethods: [...new Set(ls.map((l) => l.payment).filter((p): p is string => p !== null))],
      shipTo: ls.map((l) => l.shipTo).find(Boolean) ?? null,
      seller: ls.map((l) => l.seller).find(Boolean) ?? null,
      giftTo: ls.map((l) => l.giftTo).find(Boolean) ?? null,
      sources: [...new Set(ls.map((l) => `${l.source.file}:${l.source.row}`))].slice(0, 5),
    });
  }
  // Orders that only have export payments (no lines) are still orders.
  for (const [orderId, ps] of payBy) {
    if (byId.has(orderId)) continue;
    const p = ps[0]!;
    orders.push({
      orderId,
      storefront: p.currency === 'JPY' ? 'amazon-jp' : 'amazon-us',
      kind: orderId.startsWith('D01-') ? 'digital' : 'physical',
      orderAt: `${p.date}T00:00`,
      orderDate: p.date,
      total: roundMoney(
        ps.reduce((s, x) => s + x.amount, 0),
        p.currency,
      ),
      currency: p.currency,
      status: 'ok',
      items: [],
      shipments: ps.map((x) => ({ date: x.date, amount: x.amount })),
      payments: ps,
      paymentMethod: p.method,
      paymentMethods: [],
      shipTo: null,
      seller: null,
      giftTo: null,
      sources: ps.map((x) => `${x.source.file}:${x.source.row}`),
    });
  }
  return orders.sort((a, b) => a.orderAt.localeCompare(b.orderAt) || a.orderId.localeCompare(b.orderId));
}
