import type { MessageKnowledge, PlanKnowledge } from '#core/knowledge/compile.ts';
import type { PlaybookStep, Situation } from '#core/knowledge/schema.ts';
import { addDays } from '#core/ledger/values.ts';

export type Region = 'jp' | 'us';
export type CardType = 'credit' | 'debit' | 'prepaid';
export type Who = PlaybookStep['who'];

/** Facts a case knows, used to date deadlines and to fill the phone script. */
export interface CaseFacts {
  name?: string;
  phone?: string;
  email?: string;
  orderIds?: string[];
  charges?: { date: string; description: string; amount: number; currency: string }[];
  /** The date the statement showing the first disputed charge arrived, if known. */
  statementDate?: string;
}

export interface PlanInput {
  situations: readonly Situation[];
  region: Region;
  /** When the user noticed (YYYY-MM-DD); deadlines count from it when nothing more precise is known. */
  noticed: string;
  card?: CardType;
  facts?: CaseFacts;
}

export interface PlanStep {
  id: string;
  title: string;
  why: string;
  who: Who;
  how: string;
  prepare: string[];
  /** `now`: before anything else; `today`; `soon`: this week. Every step says by when. */
  urgency: 'now' | 'today' | 'soon';
  deadline?: string;
  deadlineRule?: string;
  /** What the deadline counted from, when the precise date was not known (for the user to correct). */
  deadlineBase?: 'noticed' | 'charge' | 'statement';
  source: string;
  uncertain?: boolean;
}

export interface Plan {
  region: Region;
  situations: Situation[];
  noticed: string;
  steps: PlanStep[];
}

function addBusinessDays(date: string, n: number): string {
  let d = date;
  let left = n;
  while (left > 0) {
    d = addDays(d, 1);
    const dow = new Date(d + 'T00:00:00Z').getUTCDay();
    if (dow !== 0 && dow !== 6) left--;
  }
  return d;
}

function deadlineOf(
  step: PlaybookStep,
  input: PlanInput,
  lang: 'ja' | 'en',
): Pick<PlanStep, 'deadline' | 'deadlineRule' | 'deadlineBase'> {
  const d = step.deadline;
  if (!d) return {};
  const earliestCharge = input.facts?.charges?.map((c) => c.date).sort()[0];
  let base = input.noticed;
  let used: PlanStep['deadlineBase'] = 'noticed';
  if (d.from === 'charge' && earliestCharge) {
    // The conservative reading: compensation covers charges from 60 days before the report, so the oldest
    // disputed charge sets the date (never later than counting from when it was noticed).
    base = earliestCharge < input.noticed ? earliestCharge : input.noticed;
    used = 'charge';
  } else if (d.from === 'statement' && input.facts?.statementDate) {
    base = input.facts.statementDate;
    used = 'statement';
  }
  return {
    deadline: d.business ? addBusinessDays(base, d.days) : addDays(base, d.days),
    deadlineRule: d.rule[lang],
    deadlineBase: used,
  };
}

/** The steps for these situations, in the order harm demands, each with who, how, what to bring and by when. */
export function buildPlan(
  input: PlanInput,
  knowledge: PlanKnowledge & MessageKnowledge,
  lang: 'ja' | 'en',
): Plan {
  const want = new Set(input.situations);
  const card = input.card ?? 'credit';
  const seen = new Set<string>();
  const steps: PlaybookStep[] = [];
  for (const pb of knowledge.playbooks) {
    for (const s of pb.steps) {
      if (seen.has(s.id)) continue;
      if (s.region !== 'any' && s.region !== input.region) continue;
      if (!s.situations.some((x) => want.has(x))) continue;
      if (s.card && !s.card.includes(card)) continue;
      seen.add(s.id);
      steps.push(s);
    }
  }
  steps.sort((a, b) => a.priority - b.priority || a.id.localeCompare(b.id));
  return {
    region: input.region,
    situations: [...want],
    noticed: input.noticed,
    steps: steps.map((s) => {
      const text = s[lang];
      return {
        id: s.id,
        title: text.title,
        why: text.why,
        who: s.who,
        how: text.how,
        prepare: text.prepare,
        urgency: s.priority < 30 ? 'now' : s.priority < 60 ? 'today' : 'soon',
        ...deadlineOf(s, input, lang),
        source: s.source,
        ...(s.uncertain || s.deadline?.uncertain ? { uncertain: true } : {}),
      };
    }),
  };
}

export interface ScriptLine {
  key: string;
  params: Record<string, string>;
}

/** What to say on the phone or in chat, with the facts to read out; missing facts are left as blanks to fill. */
export function phoneScript(who: Who, facts: CaseFacts, noticed: string): ScriptLine[] {
  const charges = (facts.charges ?? [])
    .map((c) => `${c.date} ${c.amount} ${c.currency} ${c.description}`)
    .join(' / ');
  const p = {
    name: facts.name ?? '',
    phone: facts.phone ?? '',
    email: facts.email ?? '',
    orders: (facts.orderIds ?? []).join(', '),
    charges,
    noticed,
  };
  const lines: ScriptLine[] = [
    { key: `script.${who}.opening`, params: p },
    { key: 'script.identity', params: p },
  ];
  if (p.orders) lines.push({ key: 'script.orders', params: p });
  if (p.charges) lines.push({ key: 'script.charges', params: p });
  lines.push({ key: `script.${who}.ask`, params: p }, { key: 'script.record', params: p });
  return lines;
}
