import type { CaseRecord, DisputedCharge } from '#core/case/case.ts';
import type { ExplainedCharge, ReconcileResult } from '#core/reconcile/reconcile.ts';

/** The charges worth disputing: nothing explains them, they were cancelled yet charged, or their risk is medium+. */
export function chargesToDispute(r: ReconcileResult): ExplainedCharge[] {
  return r.charges.filter(
    (x) =>
      x.category === 'unexplained' ||
      x.category === 'cancelled-but-charged' ||
      x.risk === 'high' ||
      x.risk === 'medium',
  );
}

/**
 * The case with the charges to dispute added (each statement row once, however often this runs), sorted by date.
 * Returns a new record; the caller stores it.
 */
export function disputeCharges(c: CaseRecord, r: ReconcileResult): { case: CaseRecord; added: number } {
  const charges = [...c.charges];
  const known = new Set(charges.map((x) => x.key ?? `${x.date}|${x.description}|${x.amount}`));
  let added = 0;
  for (const x of chargesToDispute(r)) {
    if (known.has(x.key)) continue;
    known.add(x.key);
    const d: DisputedCharge = {
      key: x.key,
      date: x.date,
      description: x.description,
      amount: x.amount,
      currency: x.currency,
      orderIds: x.orderIds,
      category: x.category,
      risk: x.risk ?? 'none',
      reasons: [...new Set(x.findings.filter((f) => !f.id.startsWith('match.')).map((f) => f.id))],
    };
    charges.push(d);
    added++;
  }
  charges.sort((a, b) => a.date.localeCompare(b.date));
  return { case: { ...c, charges }, added };
}
