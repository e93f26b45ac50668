import type { LedgerKnowledge } from '#core/knowledge/compile.ts';
import type { CardCharge, Refund } from '#core/ledger/types.ts';
import { categorise, findDuplicates } from './categorise.ts';
import { classify, isPurchase } from './classify.ts';
import { matchCharges } from './match.ts';
import type { Order } from './orders.ts';
import { assessOrders } from './risk.ts';
import { explainCharges, explainOrders, summarise } from './summarise.ts';
import type { ReconcileResult } from './types.ts';

export {
  chargeCategories,
  type ChargeCategory,
  type ExplainedCharge,
  type ExplainedOrder,
  type ReconcileResult,
} from './types.ts';

/**
 * Explains every charge. Pure: orders, refunds and charges in, one category and one risk per charge out, each
 * match with its reason. classify (merchant descriptors) → match (the export's own payment records, then
 * shipments, whole orders, combined shipments, partial payments; nothing matched twice) → categorise (refunds,
 * Amazon Pay, subscriptions, duplicates, cancelled-but-charged, unexplained) → risk → summarise.
 */
export function reconcile(
  input: { orders: readonly Order[]; refunds: readonly Refund[]; charges: readonly CardCharge[] },
  knowledge: LedgerKnowledge,
): ReconcileResult {
  const settings = knowledge.reconcile;
  const classified = classify(input.charges, knowledge.merchants);
  const matches = matchCharges(classified.filter(isPurchase), input.orders, settings);
  const duplicateOf = findDuplicates(input.orders, settings);
  const categorised = categorise(
    classified,
    { orders: input.orders, refunds: input.refunds, matches, duplicateOf },
    knowledge,
  );
  const orderRisk = assessOrders(input.orders, knowledge);
  return summarise(
    explainCharges(categorised, orderRisk, settings),
    explainOrders(input.orders, orderRisk, duplicateOf, matches.chargesOfOrder, settings),
  );
}
