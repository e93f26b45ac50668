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

/** Amazon order IDs: 3-7-7 digits (retail) and D01-7-7 (digital). Longer digit runs do not count. */
const ORDER_ID = /(?<![0-9A-Za-z-])(\d{3}-\d{7}-\d{7}|D\d{2}-\d{7}-\d{7})(?![0-9-])/g;

export function extractOrderIds(text: string): string[] {
  const ids = new Set<string>();
  for (const m of text.normalize('NFKC').matchAll(ORDER_ID)) ids.add(m[1]!);
  return [...ids];
}

export function orderHistoryFrom(
  ids: Iterable<string>,
  coverage: { from: string; to: string } | null = null,
): OrderHistory {
  const set = new Set(ids);
  return { knows: set.size > 0, has: (id) => set.has(id), coverage };
}
