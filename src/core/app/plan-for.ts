import { caseFacts, type CaseRecord } from '#core/case/case.ts';
import type { Knowledge } from '#core/knowledge/compile.ts';
import {
  buildPlan,
  phoneScript,
  type CaseFacts,
  type Plan,
  type PlanBrand,
  type PlanInput,
  type ScriptLine,
  type Who,
} from '#core/plan/plan.ts';

/** Who gets a phone/chat script: the parties a person actually calls. */
const SCRIPTED: readonly Who[] = ['card-issuer', 'bank', 'amazon', 'police'];

export interface PlanWithScripts {
  plan: Plan;
  /** Per party, the lines to say (message keys with the facts filled in; blanks are empty strings). */
  scripts: { who: Who; lines: ScriptLine[] }[];
}

function withScripts(plan: Plan, c: CaseRecord | null): PlanWithScripts {
  const facts = c ? caseFacts(c) : {};
  const whos = [...new Set(plan.steps.map((s) => s.who))].filter((w) => SCRIPTED.includes(w));
  return {
    plan,
    scripts: whos.map((who) => ({ who, lines: phoneScript(who, facts, plan.noticed, plan.situations) })),
  };
}

/** Plan inputs a case does not store: the moment (routes' hours), today (cut-offs passed) and dates given now. */
export interface PlanExtras {
  now?: string;
  today?: string;
  facts?: Partial<CaseFacts>;
  /** The brand a fake mail impersonated, when it is not Amazon. */
  brand?: PlanBrand;
}

/** The plan for a stored case: its situations, dates and facts (disputed charges date the cut-offs). */
export function planFor(
  c: CaseRecord,
  knowledge: Knowledge,
  lang: 'ja' | 'en',
  extras: PlanExtras = {},
): PlanWithScripts {
  return withScripts(
    buildPlan(
      {
        situations: c.situations,
        region: c.region,
        noticed: c.noticed,
        card: c.card,
        facts: { ...caseFacts(c), ...extras.facts },
        ...(extras.now ? { now: extras.now } : {}),
        ...(extras.today ? { today: extras.today } : {}),
        ...(extras.brand ? { brand: extras.brand } : {}),
      },
      knowledge,
      lang,
    ),
    c,
  );
}

/** The plan for situations given directly (no case). */
export function planForSituations(
  input: PlanInput,
  knowledge: Knowledge,
  lang: 'ja' | 'en',
): PlanWithScripts {
  return withScripts(buildPlan(input, knowledge, lang), null);
}
