import { brandName } from '#core/knowledge/brand-names.ts';
import type { MessageKnowledge, PlanKnowledge } from '#core/knowledge/compile.ts';
import type { Playbook, PlaybookStep, Route, Situation, StepWhen, Weekday } from '#core/knowledge/schema.ts';
import { addDays } from '#core/ledger/values.ts';
import { daysBetween, hhmmMinutes, localTime, minutesHhmm, weekdayOf, type LocalTime } from './dates.ts';

export type Region = 'jp' | 'us';
export type CardType = 'credit' | 'debit' | 'prepaid';
export type Who = PlaybookStep['who'];
export type { StepWhen } from '#core/knowledge/schema.ts';

/** Facts a case knows, used to date deadlines and to fill the phone script. */
export interface CaseFacts {
  name?: string;
  phone?: string;
  email?: string;
  orderIds?: string[];
  /** The suspicious charges (a case's disputed charges, or those a reconcile just found). */
  charges?: { date: string; description: string; amount: number; currency: string }[];
  /** The oldest suspicious charge, as the person gives it (--first-charge). */
  firstCharge?: string;
  /** The date of the statement that first showed a disputed charge (--statement-date). */
  statementDate?: string;
}

export interface PlanInput {
  situations: readonly Situation[];
  region: Region;
  /** When the person learned of it (YYYY-MM-DD): Regulation E counts from it. */
  noticed: string;
  card?: CardType;
  facts?: CaseFacts;
  /** The moment the plan is for (ISO 8601 with a zone), from an injected clock: routes closed now move to their next opening. */
  now?: string;
  /** Today (YYYY-MM-DD), to tell a cut-off that has passed; the local date of `now` when not given. */
  today?: string;
  /** The brand a fake mail impersonated, when it is not Amazon: its steps name it instead of Amazon. */
  brand?: PlanBrand;
}

/** A brand other than Amazon as the plan names it: its display name and its own site, to be typed by hand. */
export interface PlanBrand {
  name: string;
  site: string;
}

/** The `PlanBrand` of a merchant profile, or undefined for Amazon's storefronts (the plan's own subject). */
export function planBrand(
  m: {
    id: string;
    name: string;
    nameEn?: string | undefined;
    family?: string | undefined;
    storefront: string;
  },
  lang: 'ja' | 'en' = 'ja',
): PlanBrand | undefined {
  if ((m.family ?? m.id).startsWith('amazon')) return undefined;
  return { name: brandName(m, lang), site: m.storefront };
}

const fillBrand = (s: string, b: PlanBrand | undefined) =>
  b ? s.replace(/\{brand\}/g, b.name).replace(/\{site\}/g, b.site) : s;

/** What a cut-off counts from. */
export type DeadlineFrom = 'first-charge' | 'statement-date' | 'noticed';

/** Whether a step's route answers at the plan's time; when it does not, its next opening (the route's local time). */
export interface RouteStatus {
  open: boolean;
  /** Around the clock: stays tonight. */
  always?: true;
  /** The next opening, YYYY-MM-DDTHH:MM local time, when closed now. */
  opens?: string;
  /** The opening as a person says it: later today, tomorrow (the small hours count as tonight), or a later day. */
  day?: 'today' | 'tomorrow' | 'later';
  weekday?: Weekday;
  /** The hours vary by office or are given only as an example. */
  uncertain?: true;
}

export interface PlanStep {
  /** The step's number in this plan (1-based); `mamori case step` takes it as well as the id. */
  n: number;
  id: string;
  title: string;
  why: string;
  who: Who;
  how: string;
  prepare: string[];
  when: StepWhen;
  /** The dated cut-off (YYYY-MM-DD), only when the date it counts from is known. */
  deadline?: string;
  deadlineRule?: string;
  /** What the cut-off was counted from: `days` after `date`. */
  deadlineBasis?: { from: DeadlineFrom; date: string; days: number; business: boolean };
  /** The cut-off is before today; `afterDeadline` says what can still be done. */
  deadlinePassed?: true;
  afterDeadline?: string;
  /** A cut-off applies but its base date is unknown: the date the person should give (no date is invented). */
  deadlineNeeds?: Exclude<DeadlineFrom, 'noticed'>;
  route?: RouteStatus;
  source: string;
  uncertain?: boolean;
}

export interface PlanExpectation {
  id: string;
  text: string;
  source: string;
  uncertain?: boolean;
}

export interface Plan {
  region: Region;
  situations: Situation[];
  noticed: string;
  /** The local time the plan was made for, when a clock was given. */
  at?: { date: string; time: string; weekday: Weekday; utcOffset: string };
  steps: PlanStep[];
  /** What happens next, in the reference's words. */
  expect: PlanExpectation[];
}

function addBusinessDays(date: string, n: number): string {
  let d = date;
  let left = n;
  while (left > 0) {
    d = addDays(d, 1);
    const dow = weekdayOf(d);
    if (dow !== 'sun' && dow !== 'sat') left--;
  }
  return d;
}

function baseDate(from: DeadlineFrom, input: PlanInput): string | undefined {
  if (from === 'noticed') return input.noticed;
  if (from === 'statement-date') return input.facts?.statementDate;
  // JP compensation covers charges from 60 days before the report: the oldest suspicious charge sets the cut-off.
  const dates = [input.facts?.firstCharge, ...(input.facts?.charges ?? []).map((c) => c.date)].filter(
    (d): d is string => !!d,
  );
  return dates.sort()[0];
}

function deadlineOf(
  step: PlaybookStep,
  input: PlanInput,
  today: string | undefined,
  lang: 'ja' | 'en',
): Partial<PlanStep> {
  const d = step.deadline;
  if (!d) return {};
  const base = baseDate(d.from, input);
  if (!base) return { deadlineRule: d.rule[lang], deadlineNeeds: d.from as Exclude<DeadlineFrom, 'noticed'> };
  const deadline = d.business ? addBusinessDays(base, d.days) : addDays(base, d.days);
  return {
    deadline,
    deadlineRule: d.rule[lang],
    deadlineBasis: { from: d.from, date: base, days: d.days, business: d.business },
    ...(today && deadline < today ? { deadlinePassed: true as const, afterDeadline: d.passed[lang] } : {}),
  };
}

function closedOn(route: Route, date: string): boolean {
  const md = date.slice(5);
  return route.closed.some((c) => (c.from <= c.to ? md >= c.from && md <= c.to : md >= c.from || md <= c.to));
}

/** The small hours belong to the night before: at 02:00 an 08:30 opening is "tomorrow" (after sleeping). */
const NIGHT_ENDS = 5 * 60;

function routeStatus(route: Route, at: LocalTime): RouteStatus {
  if (route.always) return { open: true, always: true };
  const windows = (date: string) =>
    closedOn(route, date) ? [] : route.hours.filter((h) => h.days.includes(weekdayOf(date)));
  const unsure = (h: Route['hours'][number]) => (h.uncertain ? { uncertain: true as const } : {});
  const current = windows(at.date).find(
    (h) => at.minutes >= hhmmMinutes(h.from) && at.minutes < hhmmMinutes(h.to),
  );
  if (current) return { open: true, ...unsure(current) };
  const logicalToday = at.minutes < NIGHT_ENDS ? addDays(at.date, -1) : at.date;
  // Two weeks covers every closure in the reference (the New Year break is six days).
  for (let i = 0; i < 14; i++) {
    const date = addDays(at.date, i);
    const next = windows(date)
      .filter((h) => i > 0 || hhmmMinutes(h.from) > at.minutes)
      .sort((a, b) => hhmmMinutes(a.from) - hhmmMinutes(b.from))[0];
    if (!next) continue;
    const ahead = daysBetween(logicalToday, date);
    return {
      open: false,
      opens: `${date}T${next.from}`,
      day: ahead <= 0 ? 'today' : ahead === 1 ? 'tomorrow' : 'later',
      weekday: weekdayOf(date),
      ...unsure(next),
    };
  }
  return { open: false };
}

interface Chosen {
  step: PlaybookStep;
  playbook: Playbook;
  when: StepWhen;
  priority: number;
}

const has = (want: Set<Situation>, list: readonly Situation[]) => list.some((x) => want.has(x));

/**
 * The steps for these situations in the order harm demands (every `now` step first), each with who, how, what
 * to bring, how urgent, the dated cut-off when its base date is known, and whether its route is open at `now`.
 */
export function buildPlan(
  input: PlanInput,
  knowledge: PlanKnowledge & MessageKnowledge,
  lang: 'ja' | 'en',
): Plan {
  const want = new Set(input.situations);
  const card = input.card ?? 'credit';
  const seen = new Set<string>();
  const chosen: Chosen[] = [];
  const applies = (x: { region: string; situations: readonly Situation[]; card?: readonly string[] }) =>
    (x.region === 'any' || x.region === input.region) &&
    has(want, x.situations) &&
    (!x.card || x.card.includes(card));
  const brand = input.brand;
  // For another brand's fake mail, an Amazon step stays only for a situation about the Amazon account itself.
  const mailSituations = new Set(knowledge.playbooks.flatMap((p) => p.mailSituations));
  const fitsBrand = (step: Pick<PlaybookStep, 'brand' | 'situations'>) => {
    if (step.brand === 'other') return brand !== undefined;
    if (step.brand !== 'amazon' || !brand) return true;
    return step.situations.some((x) => want.has(x) && !mailSituations.has(x));
  };
  for (const playbook of knowledge.playbooks) {
    for (const step of playbook.steps) {
      if (seen.has(step.id) || !applies(step) || has(want, step.unless)) continue;
      if (!fitsBrand(step)) continue;
      seen.add(step.id);
      let { when, priority } = step;
      for (const o of step.overrides)
        if (has(want, o.situations)) {
          when = o.when ?? when;
          priority = o.priority ?? priority;
        }
      chosen.push({ step, playbook, when, priority });
    }
  }
  const nowFirst = (c: Chosen) => (c.when === 'now' ? 0 : 1);
  chosen.sort(
    (a, b) => nowFirst(a) - nowFirst(b) || a.priority - b.priority || a.step.id.localeCompare(b.step.id),
  );

  const home = knowledge.playbooks.find((p) => p.id === input.region);
  const offset = home?.utcOffset;
  const at = input.now && offset ? localTime(input.now, offset) : null;
  const today = input.today ?? at?.date;
  const seenExpect = new Set<string>();
  const expect: PlanExpectation[] = [];
  for (const pb of knowledge.playbooks)
    for (const e of pb.expect)
      if (!seenExpect.has(e.id) && applies(e) && fitsBrand(e)) {
        seenExpect.add(e.id);
        expect.push({
          id: e.id,
          text: fillBrand(e[lang], e.brand === 'other' ? brand : undefined),
          source: e.source,
          ...(e.uncertain ? { uncertain: true } : {}),
        });
      }

  return {
    region: input.region,
    situations: [...want],
    noticed: input.noticed,
    ...(at && offset
      ? { at: { date: at.date, time: minutesHhmm(at.minutes), weekday: at.weekday, utcOffset: offset } }
      : {}),
    steps: chosen.map(({ step: s, playbook, when }, i) => {
      const text = s[lang];
      const notes = s.notes.filter((n) => has(want, n.situations)).map((n) => n[lang]);
      const prepareIf = s.prepareIf.filter((n) => has(want, n.situations)).map((n) => n[lang]);
      const route = s.route ? playbook.routes[s.route] : undefined;
      // Hours are in the step's own playbook's local time; a route open around the clock needs no zone.
      const status: RouteStatus | undefined =
        !route || !input.now
          ? undefined
          : route.always
            ? { open: true, always: true }
            : playbook.utcOffset
              ? (() => {
                  const local = localTime(input.now, playbook.utcOffset);
                  return local ? routeStatus(route, local) : undefined;
                })()
              : undefined;
      const b = s.brand === 'other' ? brand : undefined;
      return {
        n: i + 1,
        id: s.id,
        title: fillBrand(text.title, b),
        why: fillBrand(text.why, b),
        who: s.who,
        how: fillBrand([text.how, ...notes].join(lang === 'ja' ? '' : ' '), b),
        prepare: [...text.prepare, ...prepareIf].map((x) => fillBrand(x, b)),
        when,
        ...deadlineOf(s, input, today, lang),
        ...(status ? { route: status } : {}),
        source: s.source,
        ...(s.uncertain || s.deadline?.uncertain ? { uncertain: true } : {}),
      };
    }),
    expect,
  };
}

/** A step named by its id or by its number in the plan (as the plan prints it); undefined if neither. */
export function resolveStep(plan: Plan, ref: string): PlanStep | undefined {
  const r = ref.normalize('NFKC').trim();
  if (/^\d{1,3}$/.test(r)) return plan.steps[Number(r) - 1];
  return plan.steps.find((s) => s.id === r);
}

export interface ScriptLine {
  key: string;
  params: Record<string, string>;
}

/**
 * Which opening and request fit the situations: a purchase made by mistake is not "my account may have been used
 * by someone else", a charge nobody can match is not yet an account takeover, a card number typed into a fake
 * site is said as such. `''` is the general wording.
 */
export function scriptVariant(
  who: Who,
  situations: readonly Situation[],
): '' | 'accidental' | 'charge' | 'entered-card' {
  const s = new Set(situations);
  const takeover = [
    'entered-password',
    'locked-out',
    'account-changed',
    'unknown-order',
    'gift-card-drained',
  ].some((x) => s.has(x as Situation));
  if (s.has('accidental-purchase') && !takeover && !s.has('unknown-charge') && !s.has('entered-card'))
    return 'accidental';
  if ((who === 'card-issuer' || who === 'bank') && s.has('entered-card')) return 'entered-card';
  if (who === 'amazon' && !takeover && s.has('unknown-charge')) return 'charge';
  return '';
}

/** What to say on the phone or in chat, with the facts to read out; missing facts are left as blanks to fill. */
export function phoneScript(
  who: Who,
  facts: CaseFacts,
  noticed: string,
  situations: readonly Situation[] = [],
): ScriptLine[] {
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
  const v = scriptVariant(who, situations);
  const opening = v === 'accidental' || v === 'charge' || v === 'entered-card' ? `.${v}` : '';
  const ask = v === 'accidental' ? '.accidental' : '';
  const lines: ScriptLine[] = [
    { key: `script.${who}.opening${opening}`, params: p },
    { key: 'script.identity', params: p },
  ];
  if (p.orders)
    lines.push({ key: v === 'accidental' ? 'script.orders.accidental' : 'script.orders', params: p });
  if (p.charges)
    lines.push({ key: v === 'accidental' ? 'script.charges.accidental' : 'script.charges', params: p });
  lines.push({ key: `script.${who}.ask${ask}`, params: p }, { key: 'script.record', params: p });
  return lines;
}
