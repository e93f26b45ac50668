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

type Verdict = Pick<Classified, 'kind' | 'merchant'>;

/** Names each charge's merchant and kind by the profiles' descriptors, first match wins within a profile. */
export function classify(charges: readonly CardCharge[], merchants: readonly Merchant[]): Classified[] {
  const compiled = merchants.map((m) => ({
    m,
    ds: m.descriptors.map((d) => ({ re: new RegExp(d.pattern, 'u'), kind: d.kind })),
  }));
  // The storefront whose currency the charge is in is asked first (a stable sort: otherwise profile order).
  const orderFor = new Map<string, typeof compiled>();
  // A statement repeats a few descriptors thousands of times: each is judged once per currency.
  const verdicts = new Map<string, Verdict>();
  return charges.map((charge) => {
    const memo = `${charge.currency}\u0000${charge.description}`;
    let v = verdicts.get(memo);
    if (!v) {
      let ordered = orderFor.get(charge.currency);
      if (!ordered) {
        ordered = [...compiled].sort(
          (a, b) => Number(b.m.currency === charge.currency) - Number(a.m.currency === charge.currency),
        );
        orderFor.set(charge.currency, ordered);
      }
      const desc = normaliseDescriptor(charge.description);
      v = { kind: null, merchant: null };
      for (const { m, ds } of ordered) {
        const hit = ds.find((d) => d.re.test(desc));
        if (hit) {
          v = { kind: hit.kind, merchant: m };
          break;
        }
      }
      verdicts.set(memo, v);
    }
    return { charge, kind: v.kind, merchant: v.merchant };
  });
}

/** A purchase at the storefront (not Amazon Pay, not AWS, not a credit): what an order can explain. */
export const isPurchase = (c: Classified): boolean =>
  !!c.kind && c.kind !== 'not-retail' && c.kind !== 'pay' && c.charge.amount > 0;
