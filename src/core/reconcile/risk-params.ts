import { z } from 'zod';
import type { RiskRule } from '#core/knowledge/schema.ts';

/**
 * The parameters each order-risk detector takes, as zod schemas. Only the knowledge build and the tests import
 * this module: reconciliation runs on parameters validated once, when data/risk was built.
 */
const none = z.object({}).strict();
const minHistory = z.object({ minHistory: z.number().int() }).strict();

export const riskParams = {
  night: z.object({ fromHour: z.number().int(), toHour: z.number().int() }).strict(),
  'risky-items': z.object({ list: z.string(), except: z.array(z.string().min(1)) }).strict(),
  'gift-to-other': none,
  'new-ship-to': minHistory,
  'new-seller': minHistory,
  'unusual-amount': z
    .object({
      minHistory: z.number().int(),
      factor: z.number().positive(),
      minAmount: z.record(z.number()),
      recentOrders: z.number().int().positive(),
    })
    .strict(),
  burst: z.object({ count: z.number().int().min(2), minutes: z.number().positive() }).strict(),
};

export type RiskDetectorId = keyof typeof riskParams;
export type RiskParams = { [K in RiskDetectorId]: z.infer<(typeof riskParams)[K]> };

/** Each risk rule's detector exists and its parameters fit; problems are returned, not thrown. */
export function riskRuleProblems(knowledge: {
  riskRules: readonly Pick<RiskRule, 'id' | 'detector' | 'params'>[];
}): string[] {
  return knowledge.riskRules.flatMap((r) => {
    if (!Object.hasOwn(riskParams, r.detector)) return [`${r.id}: unknown detector ${r.detector}`];
    const ok = riskParams[r.detector as RiskDetectorId].safeParse(r.params);
    return ok.success
      ? []
      : [`${r.id}: params: ${ok.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`];
  });
}
