import {
  nextCaseId,
  type CaseEvent,
  type CaseMail,
  type CaseRecord,
  type StepStatus,
} from '#core/case/case.ts';
import type { CheckResult } from '#core/check/index.ts';
import type { Knowledge } from '#core/knowledge/compile.ts';
import type { Situation } from '#core/knowledge/schema.ts';
import { resolveStep, type CardType, type Region } from '#core/plan/plan.ts';
import type { Clock } from '#core/ports/clock.ts';
import type { MailSource } from '#core/ports/mail-source.ts';
import type { Store } from '#core/ports/store.ts';
import { checkMail, type MailOutcome } from './check-mail.ts';
import { disputeCharges } from './dispute-charges.ts';
import { planFor } from './plan-for.ts';
import { reconcileStored } from './reconcile-stored.ts';

/** Why a case command could not do what was asked (the interface says it in the person's language). */
export type CaseError =
  | { error: 'no-case'; id: string }
  | { error: 'unknown-step'; step: string; steps: string[] }
  | { error: 'no-charges' };

export interface NewCase {
  title: string;
  region: Region;
  situations: Situation[];
  noticed?: string;
  card?: CardType;
  contact: { name?: string; phone?: string; email?: string };
}

/** Opens a case (id C-YYYYMMDD-N) with "noticed" as the first event of its timeline. */
export async function openCase(store: Store, n: NewCase, clock: Clock): Promise<CaseRecord> {
  const today = clock.today();
  const c: CaseRecord = {
    id: nextCaseId(today, await store.caseIds()),
    created: clock.now(),
    title: n.title,
    region: n.region,
    situations: n.situations,
    noticed: n.noticed ?? today,
    ...(n.card ? { card: n.card } : {}),
    contact: n.contact,
    mails: [],
    charges: [],
    steps: {},
  };
  await store.createCase(c);
  await store.addEvent(c.id, { at: c.noticed, kind: 'noticed' });
  return c;
}

async function loadCase(store: Store, id: string): Promise<CaseRecord | CaseError> {
  return (await store.getCase(id)) ?? { error: 'no-case', id };
}

export const isCaseError = (v: object): v is CaseError => 'error' in v;

/**
 * Records a step's status; the step must be one of the case's plan, named by its id or by its number as the
 * plan prints it. Returns the case and the step's id.
 */
export async function recordStep(
  store: Store,
  id: string,
  step: { id: string; status: StepStatus; note?: string },
  deps: { knowledge: Knowledge; lang: 'ja' | 'en'; clock: Clock },
): Promise<{ case: CaseRecord; step: string } | CaseError> {
  const c = await loadCase(store, id);
  if (isCaseError(c)) return c;
  const { plan } = planFor(c, deps.knowledge, deps.lang);
  const found = resolveStep(plan, step.id);
  if (!found) return { error: 'unknown-step', step: step.id, steps: plan.steps.map((s) => `${s.n} ${s.id}`) };
  const next: CaseRecord = {
    ...c,
    steps: {
      ...c.steps,
      [found.id]: { status: step.status, at: deps.clock.now(), ...(step.note ? { note: step.note } : {}) },
    },
  };
  await store.saveCase(next);
  return { case: next, step: found.id };
}

/** Adds an event to a case's timeline (dated today unless given). */
export async function recordEvent(
  store: Store,
  id: string,
  e: Omit<CaseEvent, 'at'> & { at?: string },
  clock: Clock,
): Promise<CaseEvent | CaseError> {
  const c = await loadCase(store, id);
  if (isCaseError(c)) return c;
  const event: CaseEvent = { at: e.at ?? clock.today(), kind: e.kind, ...(e.note ? { note: e.note } : {}) };
  await store.addEvent(id, event);
  return event;
}

/** A checked mail as evidence: the verdict and findings, links kept as text (never opened). */
export function caseMailFrom(label: string, r: CheckResult): CaseMail {
  const auth = r.findings.find((f) => f.id.startsWith('auth.'));
  return {
    source: label,
    verdict: r.verdict,
    subject: r.subject,
    from: r.from,
    auth: auth ? `${auth.id}: ${auth.evidence.split('\n')[0]}` : '—',
    findings: r.findings
      .filter((f) => f.severity !== 'info')
      .map((f) => ({ id: f.id, evidence: f.evidence })),
    links: r.links
      .filter((l) => l.kind !== 'image')
      .map(({ text, target, domain, own }) => ({ text, target, domain, own })),
  };
}

/** Checks the mails of a source and keeps each readable one's evidence in the case; yields every outcome. */
export async function* addMails(
  store: Store,
  id: string,
  source: MailSource,
  deps: { knowledge: Knowledge },
): AsyncGenerator<MailOutcome | CaseError> {
  const c = await loadCase(store, id);
  if (isCaseError(c)) {
    yield c;
    return;
  }
  const mails = [...c.mails];
  for await (const o of checkMail(source, { knowledge: deps.knowledge })) {
    if (o.ok) mails.push(caseMailFrom(o.label, o.result));
    yield o;
  }
  await store.saveCase({ ...c, mails });
}

/** Adds the charges reconciliation flags (see `chargesToDispute`) to the case. */
export async function addDisputedCharges(
  store: Store,
  id: string,
  knowledge: Knowledge,
): Promise<{ added: number; total: number } | CaseError> {
  const c = await loadCase(store, id);
  if (isCaseError(c)) return c;
  const ledger = await store.counts();
  if (ledger.charges === 0) return { error: 'no-charges' };
  const r = await reconcileStored(store, knowledge);
  if (!r) return { error: 'no-charges' };
  const { case: next, added } = disputeCharges(c, r);
  await store.saveCase(next);
  return { added, total: next.charges.length };
}
