import type { Merchant } from '#core/knowledge/schema.ts';
import type { CardCharge } from '#core/ledger/types.ts';
import { normaliseDescriptor } from '#core/ledger/values.ts';

export type ChargeKind = Merchant['descriptors'][number]['kind'];

/** A charge with the merchant profile whose descriptor it carries (null: another shop). */
export interface Classified {
  charge: CardCharge;
  kind: ChargeKind | null;
  merchant: Merchant | null;
}

/** Names each charge's merchant and kind by the profiles' descriptors, first match wins within a profile. */
export function classify(charges: readonly CardCharge[], merchants: readonly Merchant[]): Classified[] {
  const compiled = merchants.map((m) => ({
    m,
    ds: m.descriptors.map((d) => ({ re: new RegExp(d.pattern, 'u'), kind: d.kind })),
  }));
  return charges.map((charge) => {
    const desc = normaliseDescriptor(charge.description);
    // The storefront whose currency the charge is in is asked first.
    const ordered = [...compiled].sort(
      (a, b) => Number(b.m.currency === charge.currency) - Number(a.m.currency === charge.currency),
    );
    for (const { m, ds } of ordered) {
      const hit = ds.find((d) => d.re.test(desc));
      if (hit) return { charge, kind: hit.kind, merchant: m };
    }
    return { charge, kind: null, merchant: null };
  });
}

/** A purchase at the storefront (not Amazon Pay, not AWS, not a credit): what an order can explain. */
export const isPurchase = (c: Classified): boolean =>
  !!c.kind && c.kind !== 'not-retail' && c.kind !== 'pay' && c.charge.amount > 0;
