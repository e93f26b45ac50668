import { situations, type Situation } from '#core/knowledge/constants.ts';
import type { ExplainedCharge, ExplainedOrder } from './types.ts';

const risky = (r: string | null) => r === 'high' || r === 'medium';

/**
 * The plan's situations that the reconcile's own findings show, in the order `mamori plan` lists them: an order
 * inside the account that looks like someone else's (medium or high risk) is `unknown-order`, and when it ships to
 * an address the account never used, `account-changed` too (an intruder adds addresses); a charge worth disputing
 * (unexplained, cancelled but charged, or medium/high risk) is `unknown-charge`. Unverified charges suggest
 * nothing: without order data they are not evidence of anything.
 */
export function suggestSituations(
  charges: readonly ExplainedCharge[],
  orders: readonly ExplainedOrder[],
): Situation[] {
  const out = new Set<Situation>();
  const riskyOrders = orders.filter((o) => risky(o.risk));
  if (riskyOrders.length) out.add('unknown-order');
  if (riskyOrders.some((o) => o.findings.some((f) => f.id === 'order.new-ship-to')))
    out.add('account-changed');
  if (
    charges.some(
      (c) => c.category === 'unexplained' || c.category === 'cancelled-but-charged' || risky(c.risk),
    )
  )
    out.add('unknown-charge');
  return situations.filter((s) => out.has(s));
}
