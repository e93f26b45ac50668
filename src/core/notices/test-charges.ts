import type { Currency } from '#core/ledger/types.ts';

/**
 * The small "test" charges a card thief makes first (card-notices.md, SMBC's FAQ: 11円 or 100円, often
 * cancelled at once), as data (data/notices/test-charges.yaml): a charge at or under `max` of its currency, or
 * the cancellation of one within `windowDays`.
 */
export interface TestChargeRule {
  windowDays: number;
  limits: { currency: Currency; max: number }[];
}

/** One card charge as the rule sees it: cancellations carry a positive amount and `cancellation: true`. */
export interface ChargeFact {
  date: string;
  amount: number;
  currency: Currency;
  cancellation: boolean;
  issuer: string;
}

/** `small`: a charge a thief could be testing with; `cancelled`: a small charge taken back (the usual pattern). */
export type TestChargePattern = 'small' | 'cancelled';

const DAY_MS = 86_400_000;
const day = (d: string) => Date.parse(`${d.slice(0, 10)}T00:00:00Z`);

/** Whether `charge` looks like a thief's test, given the charges recorded before it (oldest first). */
export function testChargeOf(
  charge: ChargeFact,
  earlier: readonly ChargeFact[],
  rule: TestChargeRule,
): { pattern: TestChargePattern; earlier: ChargeFact | null } | null {
  const limit = rule.limits.find((l) => l.currency === charge.currency);
  if (!limit || !(charge.amount > 0) || charge.amount > limit.max) return null;
  if (!charge.cancellation) return { pattern: 'small', earlier: null };
  const at = day(charge.date);
  const before =
    [...earlier]
      .reverse()
      .find(
        (c) =>
          !c.cancellation &&
          c.issuer === charge.issuer &&
          c.currency === charge.currency &&
          c.amount === charge.amount &&
          Number.isFinite(at) &&
          Math.abs(at - day(c.date)) <= rule.windowDays * DAY_MS,
      ) ?? null;
  return { pattern: 'cancelled', earlier: before };
}
