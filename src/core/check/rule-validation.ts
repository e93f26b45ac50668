import type { Knowledge } from '#core/knowledge/compile.ts';
import type { Rule } from '#core/knowledge/schema.ts';
import type { DetectorId } from './detectors/ids.ts';
import { detectorParams } from './detectors/params.ts';
import type { CheckRule } from './detectors/types.ts';

function validateOne<R extends Rule, K extends DetectorId>(
  rule: R,
  detector: K,
  problems: string[],
): (R & CheckRule) | null {
  const r = detectorParams[detector].safeParse(rule.params);
  if (r.success) return { ...rule, detector, params: r.data };
  problems.push(
    `${rule.id}: params: ${r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
  );
  return null;
}

/**
 * Validates each rule's parameters against its detector's schema and applies the defaults. Run once, when the
 * knowledge is built; the check then uses the parameters as they are. Returns problems instead of throwing.
 */
export function validateRuleParams<R extends Rule>(
  rules: readonly R[],
): { rules: (R & CheckRule)[]; problems: string[] } {
  const problems: string[] = [];
  const valid: (R & CheckRule)[] = [];
  for (const rule of rules) {
    const v = validateOne(rule, rule.detector, problems);
    if (v) valid.push(v);
  }
  return { rules: valid, problems };
}

/** The problems `validateRuleParams` finds in already compiled knowledge (none, once it has been built). */
export function ruleProblems(knowledge: Pick<Knowledge, 'rules'>): string[] {
  return validateRuleParams(knowledge.rules).problems;
}
