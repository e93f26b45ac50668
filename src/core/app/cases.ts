import {
  nextCaseId,
  type CaseEvent,
  type CaseMail,
  type CaseRecord,
  type StepStatus,
} from '#core/case/case.ts';
import type { CheckOptions, CheckResult } from '#core/check/index.ts';
import type { CardInfo } from '#core/ledger/types.ts';
import { receivedTime } from '#core/mail/header-block.ts';
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
  | { error: 'no-charges' }
  /** A date before the case began (the day the person noticed): it cannot be part of this case's response. */
  | { error: 'before-case'; date: string; noticed: string };

export interface NewCase {
  title: string;
  region: Region;
  situations: Situation[];
  noticed?: string;
  card?: CardType;
  cardInfo?: CardInfo;
  contact: { name?: string; phone?: string; email?: string; address?: string };
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
    ...(n.cardInfo && Object.keys(n.cardInfo).length ? { cardInfo: n.cardInfo } : {}),
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
  step: { id: string; status: StepStatus; note?: string; receipt?: string; at?: string },
  deps: { knowledge: Knowledge; lang: 'ja' | 'en'; clock: Clock },
): Promise<{ case: CaseRecord; step: string } | CaseError> {
  const c = await loadCase(store, id);
  if (isCaseError(c)) return c;
  if (step.at && step.at.slice(0, 10) < c.noticed)
    return { error: 'before-case', date: step.at, noticed: c.noticed };
  const { plan } = planFor(c, deps.knowledge, deps.lang);
  const found = resolveStep(plan, step.id);
  if (!found) return { error: 'unknown-step', step: step.id, steps: plan.steps.map((s) => `${s.n} ${s.id}`) };
  const next: CaseRecord = {
    ...c,
    steps: {
      ...c.steps,
      [found.id]: {
        status: step.status,
        at: step.at ?? deps.clock.now(),
        ...(step.note ? { note: step.note } : {}),
        ...(step.receipt ? { receipt: step.receipt } : {}),
      },
    },
  };
  await store.saveCase(next);
  return { case: next, step: found.id };
}

/**
 * Adds an event to a case's timeline (dated today unless given). The interface refuses impossible and future
 * dates; a date before the case began is refused here, where the case is known.
 */
export async function recordEvent(
  store: Store,
  id: string,
  e: Omit<CaseEvent, 'at'> & { at?: string },
  clock: Clock,
): Promise<CaseEvent | CaseError> {
  const c = await loadCase(store, id);
  if (isCaseError(c)) return c;
  const at = e.at ?? clock.today();
  if (e.kind !== 'noticed' && at.slice(0, 10) < c.noticed)
    return { error: 'before-case', date: at, noticed: c.noticed };
  const event: CaseEvent = {
    at,
    kind: e.kind,
    ...(e.note ? { note: e.note } : {}),
    ...(e.receipt ? { receipt: e.receipt } : {}),
  };
  await store.addEvent(id, event);
  return event;
}

/**
 * A genuine mail that shows the takeover: a security notice (the check's `notice.*` rules: sign-in, password,
 * account change, code) or an order notice (an order number, or an order, shipment or gift card subject). Store
 * news or a Prime renewal shows nothing and is not evidence.
 */
const ORDER_SUBJECT = /注文|発送|配達|ギフト|order|shipped|deliver|gift card/i;

export function isGenuineNotice(r: CheckResult): boolean {
  return r.notice === 'security' || r.orderIds.length > 0 || ORDER_SUBJECT.test(r.subject.normalize('NFKC'));
}

/** The link the mail wanted people to open: the first foreign anchor a link finding names, else the first foreign one. */
function siteOf(r: CheckResult): string | undefined {
  const foreign = r.links.filter((l) => !l.own && l.kind !== 'image' && /^https?:/i.test(l.target));
  const evidence = r.findings.filter((f) => f.id.startsWith('link.')).map((f) => f.evidence);
  return (foreign.find((l) => evidence.some((e) => l.domain && e.includes(l.domain))) ?? foreign[0])?.target;
}

/** A checked mail as evidence: the verdict and findings, links kept as text (never opened). */
export function caseMailFrom(label: string, r: CheckResult, headers?: string | null): CaseMail {
  const auth = r.findings.find((f) => f.id.startsWith('auth.'));
  const received = headers ? receivedTime(headers) : null;
  const site = r.verdict === 'legitimate' ? undefined : siteOf(r);
  return {
    source: label,
    role: r.verdict === 'legitimate' ? 'genuine-notice' : 'phishing',
    verdict: r.verdict,
    ...(received ? { received } : {}),
    ...(headers ? { headers } : {}),
    ...(site ? { site } : {}),
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

/** A genuine mail that is no notice of the takeover: refused, never kept as phishing evidence. */
export interface RefusedMail {
  label: string;
  refused: 'genuine-mail';
}

/**
 * Checks the mails of a source and keeps each readable one in the case: phishing (or unproven) mail as evidence,
 * a genuine security or order notice as the genuine notice of the takeover; any other genuine mail is refused.
 * Yields every outcome.
 */
export async function* addMails(
  store: Store,
  id: string,
  source: MailSource,
  deps: {
    knowledge: Knowledge;
    /** How the mail is checked (provider, PDF and picture readers), as `check` would check it. */
    options?: CheckOptions;
  },
): AsyncGenerator<MailOutcome | RefusedMail | CaseError> {
  const c = await loadCase(store, id);
  if (isCaseError(c)) {
    yield c;
    return;
  }
  const mails = [...c.mails];
  for await (const o of checkMail(source, {
    knowledge: deps.knowledge,
    keepHeaders: true,
    ...(deps.options ? { options: deps.options } : {}),
  })) {
    if (o.ok && o.result.verdict === 'legitimate' && !isGenuineNotice(o.result)) {
      yield { label: o.label, refused: 'genuine-mail' };
      continue;
    }
    if (o.ok) mails.push(caseMailFrom(o.label, o.result, o.headers));
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
  const { case: next, added } = disputeCharges(c, r, (await store.load()).charges);
  await store.saveCase(next);
  return { added, total: next.charges.length };
}
