import type { Rule } from '#core/knowledge/schema.ts';
import type { CheckContext } from '../context.ts';
import type { DetectorId } from './ids.ts';
import type { DetectorParams } from './params.ts';

/** One piece of evidence a detector found: the exact text it quotes, and parameters for the message. */
export interface Hit {
  evidence: string;
  params?: Record<string, string | number>;
}

export type Detector<K extends DetectorId> = (ctx: CheckContext, params: DetectorParams[K]) => Hit[];

/** Exactly one detector per id. */
export type DetectorRegistry = { [K in DetectorId]: Detector<K> };

/**
 * A rule as the check runs it: its parameters already validated against its detector's schema, defaults applied
 * (by `validateRuleParams`, once, when the knowledge is built); the check uses them as they are.
 */
export interface CheckRule extends Omit<Rule, 'detector' | 'params'> {
  detector: DetectorId;
  params: DetectorParams[DetectorId];
}
