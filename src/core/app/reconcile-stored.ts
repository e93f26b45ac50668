import type { LedgerKnowledge } from '#core/knowledge/compile.ts';
import { supersedePasted } from '#core/ledger/pasted/records.ts';
import type { Store } from '#core/ports/store.ts';
import { assembleOrders } from '#core/reconcile/orders.ts';
import { reconcile, type ReconcileResult } from '#core/reconcile/reconcile.ts';

/**
 * Everything the store holds, reconciled; `null` when it holds neither orders nor charges. Rows pasted from
 * Amazon's pages give way to an export's rows for the same order or charge (`supersedePasted`).
 */
export async function reconcileStored(
  store: Store,
  knowledge: LedgerKnowledge,
): Promise<ReconcileResult | null> {
  const data = supersedePasted(await store.load());
  if (data.lines.length + data.payments.length === 0 && data.charges.length === 0) return null;
  return reconcile(
    { orders: assembleOrders(data.lines, data.payments), refunds: data.refunds, charges: data.charges },
    knowledge,
  );
}
