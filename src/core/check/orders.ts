import type { Merchant } from '#core/knowledge/schema.ts';

/**
 * The port through which the check learns the user's own orders (from an Amazon export or the store).
 * `knows` is false when the history is empty: with nothing to compare to, the rule says nothing.
 */
export interface OrderHistory {
  readonly knows: boolean;
  has(orderId: string): boolean;
  /** The span of dates the history covers, YYYY-MM-DD, so "not in your orders" can say what was compared. */
  readonly coverage: { from: string; to: string } | null;
}

const compiled = new WeakMap<readonly Pick<Merchant, 'orderIdPattern'>[], RegExp>();

/**
 * The order numbers of the given merchants (each profile's `orderIdPattern`), as whole tokens: a longer run of
 * digits or letters around one does not count.
 */
export function orderIdPattern(merchants: readonly Pick<Merchant, 'orderIdPattern'>[]): RegExp {
  let re = compiled.get(merchants);
  if (!re) {
    const shapes = [...new Set(merchants.flatMap((m) => (m.orderIdPattern ? [m.orderIdPattern] : [])))];
    const body = shapes.length ? shapes.map((p) => `(?:${p})`).join('|') : '(?!)';
    re = new RegExp(`(?<![0-9A-Za-z-])(?:${body})(?![0-9-])`, 'gu');
    compiled.set(merchants, re);
  }
  return re;
}

export function extractOrderIds(
  text: string,
  merchants: readonly Pick<Merchant, 'orderIdPattern'>[],
): string[] {
  const ids = new Set<string>();
  for (const m of text.normalize('NFKC').matchAll(orderIdPattern(merchants))) ids.add(m[0]);
  return [...ids];
}

export function orderHistoryFrom(
  ids: Iterable<string>,
  coverage: { from: string; to: string } | null = null,
): OrderHistory {
  const set = new Set(ids);
  return { knows: set.size > 0, has: (id) => set.has(id), coverage };
}
