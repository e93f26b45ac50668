import { readFileSync, writeFileSync } from 'node:fs';
import pc from 'picocolors';
import type { Clock } from '#adapters/clock.ts';
import { readInputs } from '#adapters/input/mail-input.ts';
import { FontMissingError, renderPdf } from '#adapters/report/pdf.ts';
import type { Store } from '#adapters/store/store.ts';
import {
  caseFacts,
  eventKinds,
  nextCaseId,
  stepStatuses,
  type CaseEvent,
  type CaseMail,
  type CaseRecord,
  type EventKind,
  type StepStatus,
} from '#core/case/case.ts';
import { checkPassword, type PasswordVerdict } from '#core/case/checkup.ts';
import { buildIcs } from '#core/case/ics.ts';
import { checkMessage } from '#core/check/index.ts';
import type { Knowledge } from '#core/knowledge/compile.ts';
import { situations as allSituations, type Situation } from '#core/knowledge/constants.ts';
import { assembleOrders } from '#core/reconcile/orders.ts';
import { reconcile } from '#core/reconcile/reconcile.ts';
import { parsePersonDate } from '#core/plan/dates.ts';
import {
  buildPlan,
  phoneScript,
  resolveStep,
  type CardType,
  type CaseFacts,
  type Plan,
  type PlanStep,
  type Region,
  type RouteStatus,
} from '#core/plan/plan.ts';
import {
  audiences,
  buildReport,
  disputedChargesCsv,
  renderHtml,
  renderMarkdown,
  type Audience,
} from '#core/report/report.ts';
import type { Translator } from '#interfaces/i18n.ts';
import type { Io } from './check-command.ts';

export class CaseUsageError extends Error {}

export function parseSituations(raw: string): Situation[] {
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = list.filter((s) => !(allSituations as readonly string[]).includes(s));
  if (bad.length || list.length === 0)
    throw new CaseUsageError(
      `--situation: unknown ${bad.join(', ') || '(none)'}; choose from ${allSituations.join(', ')}`,
    );
  return list as Situation[];
}

export function parseDate(raw: string, what: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(raw + 'T00:00:00Z')))
    throw new CaseUsageError(`${what} must be a date YYYY-MM-DD (got "${raw}")`);
  return raw;
}

export function parseRegion(raw: string | undefined): Region {
  const r = raw ?? 'jp';
  if (r !== 'jp' && r !== 'us') throw new CaseUsageError('--region must be jp or us');
  return r;
}

export function parseCard(raw: string | undefined): CardType | undefined {
  if (raw === undefined) return undefined;
  if (raw !== 'credit' && raw !== 'debit' && raw !== 'prepaid')
    throw new CaseUsageError('--card must be credit, debit or prepaid');
  return raw;
}

function loadCase(store: Store, id: string): CaseRecord {
  const c = store.getCase(id);
  if (!c) throw new CaseUsageError(`no case ${id} (mamori case list shows the cases)`);
  return c;
}

/** Plan-only inputs a case does not store: the plan's moment and the dates the person gives. */
export interface PlanExtras {
  now?: string;
  today?: string;
  facts?: Partial<CaseFacts>;
}

export function planForCase(
  c: CaseRecord,
  knowledge: Knowledge,
  lang: 'ja' | 'en',
  extras: PlanExtras = {},
): Plan {
  return buildPlan(
    {
      situations: c.situations,
      region: c.region,
      noticed: c.noticed,
      card: c.card,
      facts: { ...caseFacts(c), ...extras.facts },
      ...(extras.now ? { now: extras.now } : {}),
      ...(extras.today ? { today: extras.today } : {}),
    },
    knowledge,
    lang,
  );
}

/** A date for a plan option, as people write it; refused in the person's language (future, impossible, unreadable). */
export function parsePlanDate(raw: string, option: string, today: string, t: Translator): string {
  const r = parsePersonDate(raw, today);
  if (!r.ok) throw new CaseUsageError(t.t(`plan.date.${r.problem}`, { option, value: raw }));
  return r.date;
}

/** The situations with their labels, numbered as `mamori plan` asks for them. */
export function situationList(t: Translator): string {
  return allSituations
    .map((s, i) => `  ${String(i + 1).padStart(2)}. ${s.padEnd(22)} ${t.t(`situation.${s}`)}`)
    .join('\n');
}

/** Situations chosen by number (as listed) or by name; undefined items are reported back. */
export function pickSituations(answer: string): { picked: Situation[]; bad: string[] } {
  const picked: Situation[] = [];
  const bad: string[] = [];
  for (const raw of answer
    .normalize('NFKC')
    .split(/[,、\s]+/)
    .filter(Boolean)) {
    const n = /^\d+$/.test(raw) ? allSituations[Number(raw) - 1] : undefined;
    const s = n ?? (allSituations as readonly string[]).find((x) => x === raw);
    if (s) picked.push(s as Situation);
    else bad.push(raw);
  }
  return { picked: [...new Set(picked)], bad };
}

function routeText(r: RouteStatus, t: Translator): string {
  const hours = r.uncertain ? t.t('plan.route.uncertain') : '';
  if (r.always) return pc.green(t.t('plan.route.always'));
  if (r.open) return pc.green(t.t('plan.route.open')) + hours;
  if (!r.opens || !r.day) return pc.yellow(t.t('plan.route.closed')) + hours;
  return (
    pc.yellow(
      t.t(`plan.route.${r.day}`, {
        time: r.opens.slice(11, 16),
        date: r.opens.slice(5, 10).replace('-', '/'),
        weekday: t.t(`weekday.${r.weekday}`),
      }),
    ) + hours
  );
}

function basisText(s: PlanStep, t: Translator): string {
  const b = s.deadlineBasis!;
  return t.t(`plan.basis.${b.from}${b.business ? '-business' : ''}`, { date: b.date, days: b.days });
}

/** The plan for a person: what to do now first, each cut-off on its own line, then what happens next. */
export function renderPlan(
  plan: Plan,
  t: Translator,
  script: { who: string; lines: string[] }[],
  opts: { caseId?: string } = {},
): string {
  const out = [pc.bold(t.t('plan.title', { count: plan.steps.length, noticed: plan.noticed }))];
  if (plan.at)
    out.push(
      t.t('plan.at', { date: plan.at.date, time: plan.at.time, weekday: t.t(`weekday.${plan.at.weekday}`) }),
    );
  let group: string | undefined;
  for (const s of plan.steps) {
    const g = s.when === 'now' ? 'now' : 'rest';
    const night = plan.at && (plan.at.time >= '21:00' || plan.at.time < '06:00');
    if (g !== group) out.push('', pc.bold(t.t(`plan.group.${g}${g === 'now' && night ? '-night' : ''}`)));
    group = g;
    const tags = [pc.cyan(t.t(`who.${s.who}`)), t.t(`plan.when.${s.when}`)];
    if (s.route) tags.push(routeText(s.route, t));
    out.push(
      '',
      `${pc.bold(`${s.n}. ${s.title}`)} ${pc.dim(`(${s.id})`)}`,
      `   ${tags.join('  ')}${s.uncertain ? pc.yellow(' ' + t.t('plan.uncertain')) : ''}`,
    );
    out.push(`   ${t.t('plan.why')}: ${s.why}`, `   ${t.t('plan.how')}: ${s.how}`);
    if (s.prepare.length) out.push(`   ${t.t('plan.prepare')}: ${s.prepare.join(' / ')}`);
    if (s.deadline && s.deadlinePassed)
      out.push(
        pc.red(
          `   ${t.t('plan.cutoff-passed', { date: s.deadline, basis: basisText(s, t), after: s.afterDeadline })}`,
        ),
      );
    else if (s.deadline)
      out.push(pc.bold(pc.red(`   ${t.t('plan.cutoff', { date: s.deadline, basis: basisText(s, t) })}`)));
    else if (s.deadlineNeeds) out.push(pc.yellow(`   ${t.t(`plan.cutoff-needs.${s.deadlineNeeds}`)}`));
    if (s.deadlineRule) out.push(pc.dim(`   ${t.t('plan.deadline-rule', { rule: s.deadlineRule })}`));
    out.push(pc.dim(`   ${t.t('plan.source')}: ${s.source}`));
  }
  if (plan.expect.length) {
    out.push('', pc.bold(t.t('plan.expect')));
    for (const e of plan.expect)
      out.push(`  ・${e.text}${e.uncertain ? pc.yellow(' ' + t.t('plan.uncertain')) : ''}`);
  }
  for (const sc of script) {
    out.push('', pc.bold(t.t('plan.script', { who: t.t(`who.${sc.who}`) })));
    for (const l of sc.lines) out.push(`  「${l}」`);
  }
  if (opts.caseId) out.push('', pc.dim(t.t('plan.step-hint')));
  return out.join('\n');
}

function scriptsFor(plan: Plan, c: CaseRecord | null, t: Translator): { who: string; lines: string[] }[] {
  const facts = c ? caseFacts(c) : {};
  const whos = [...new Set(plan.steps.map((s) => s.who))].filter(
    (w) => w === 'card-issuer' || w === 'bank' || w === 'amazon' || w === 'police',
  );
  return whos.map((who) => ({
    who,
    lines: phoneScript(who, facts, plan.noticed).map((l) =>
      t.t(l.key, Object.fromEntries(Object.entries(l.params).map(([k, v]) => [k, v || t.t('script.blank')]))),
    ),
  }));
}

export function runPlan(
  opts: {
    situation: string;
    region?: string;
    noticed?: string;
    card?: string;
    caseId?: string;
    firstCharge?: string;
    statementDate?: string;
    /** Suspicious charges just found (the demo passes on what its reconcile flagged). */
    charges?: CaseFacts['charges'];
    json: boolean;
  },
  knowledge: Knowledge,
  t: Translator,
  io: Io,
  clock: Clock,
  store: () => Store,
): number {
  const today = clock.today();
  const facts: Partial<CaseFacts> = {
    ...(opts.firstCharge ? { firstCharge: parsePlanDate(opts.firstCharge, '--first-charge', today, t) } : {}),
    ...(opts.statementDate
      ? { statementDate: parsePlanDate(opts.statementDate, '--statement-date', today, t) }
      : {}),
    ...(opts.charges?.length ? { charges: opts.charges } : {}),
  };
  const when = { now: clock.now(), today };
  let c: CaseRecord | null = null;
  let plan: Plan;
  if (opts.caseId) {
    const s = store();
    try {
      c = loadCase(s, opts.caseId);
    } finally {
      s.close();
    }
    plan = planForCase(c, knowledge, t.lang, { ...when, facts });
  } else {
    plan = buildPlan(
      {
        situations: parseSituations(opts.situation),
        region: parseRegion(opts.region),
        noticed: opts.noticed ? parsePlanDate(opts.noticed, '--noticed', today, t) : today,
        card: parseCard(opts.card),
        facts,
        ...when,
      },
      knowledge,
      t.lang,
    );
  }
  const script = scriptsFor(plan, c, t);
  if (opts.json) io.out(JSON.stringify({ ...plan, script }));
  else io.out(renderPlan(plan, t, script, c ? { caseId: c.id } : {}));
  return 0;
}

export interface CaseNewOptions {
  situation: string;
  region?: string;
  noticed?: string;
  card?: string;
  name?: string;
  phone?: string;
  email?: string;
  title?: string;
}

export function caseNew(
  o: CaseNewOptions,
  store: Store,
  clock: Clock,
  t: Translator,
  io: Io,
  json: boolean,
): number {
  const today = clock.today();
  const c: CaseRecord = {
    id: nextCaseId(today, store.caseIds()),
    created: clock.now(),
    title: o.title ?? t.t('case.default-title'),
    region: parseRegion(o.region),
    situations: parseSituations(o.situation),
    noticed: o.noticed ? parseDate(o.noticed, '--noticed') : today,
    ...(o.card ? { card: parseCard(o.card) } : {}),
    contact: {
      ...(o.name ? { name: o.name } : {}),
      ...(o.phone ? { phone: o.phone } : {}),
      ...(o.email ? { email: o.email } : {}),
    },
    mails: [],
    charges: [],
    steps: {},
  };
  store.createCase(c);
  store.addEvent(c.id, { at: c.noticed, kind: 'noticed' });
  io.out(json ? JSON.stringify({ id: c.id }) : t.t('case.created', { id: c.id }));
  return 0;
}

export function caseShow(
  id: string,
  store: Store,
  knowledge: Knowledge,
  t: Translator,
  io: Io,
  json: boolean,
): number {
  const c = loadCase(store, id);
  const events = store.events(id);
  const plan = planForCase(c, knowledge, t.lang);
  if (json) {
    io.out(
      JSON.stringify({
        ...c,
        events,
        plan: plan.steps.map((s) => ({
          id: s.id,
          who: s.who,
          title: s.title,
          deadline: s.deadline ?? null,
          status: c.steps[s.id]?.status ?? 'todo',
        })),
      }),
    );
    return 0;
  }
  const out = [
    pc.bold(`${c.id}  ${c.title}`),
    `${t.t('report.situations')}: ${c.situations.map((s) => t.t(`situation.${s}`)).join('、')}  ${t.t('report.noticed')}: ${c.noticed}`,
  ];
  out.push('', pc.bold(t.t('report.timeline')));
  for (const e of events)
    out.push(
      `  ${e.at.slice(0, 16).replace('T', ' ')}  ${t.t(`event.${e.kind}`)}${e.note ? ` — ${e.note}` : ''}`,
    );
  out.push('', pc.bold(t.t('report.steps')));
  for (const s of plan.steps) {
    const st = c.steps[s.id]?.status ?? 'todo';
    const mark =
      st === 'done' ? pc.green('✔') : st === 'skipped' ? pc.dim('–') : st === 'doing' ? pc.yellow('…') : '□';
    out.push(
      `  ${mark} ${s.n}. ${s.title} ${pc.dim(`(${s.id})`)}${s.deadline && st !== 'done' ? pc.red(` ${t.t('plan.deadline', { date: s.deadline })}`) : ''}`,
    );
  }
  out.push('', `${t.t('report.charges')}: ${c.charges.length}  ${t.t('report.mails')}: ${c.mails.length}`);
  io.out(out.join('\n'));
  return 0;
}

export function caseList(store: Store, t: Translator, io: Io, json: boolean): number {
  const cases = store.listCases();
  if (json)
    io.out(
      JSON.stringify(
        cases.map((c) => ({ id: c.id, title: c.title, noticed: c.noticed, situations: c.situations })),
      ),
    );
  else if (!cases.length) io.out(t.t('case.none'));
  else for (const c of cases) io.out(`${c.id}  ${c.noticed}  ${c.title}  (${c.situations.join(', ')})`);
  return 0;
}

export function caseStep(
  id: string,
  stepId: string,
  status: string,
  note: string | undefined,
  store: Store,
  knowledge: Knowledge,
  clock: Clock,
  t: Translator,
  io: Io,
): number {
  const c = loadCase(store, id);
  if (!(stepStatuses as readonly string[]).includes(status))
    throw new CaseUsageError(`--status must be one of ${stepStatuses.join(', ')}`);
  const plan = planForCase(c, knowledge, t.lang);
  // The plan prints each step's number beside its id; either names it.
  const step = resolveStep(plan, stepId);
  if (!step)
    throw new CaseUsageError(
      `step ${stepId} is not in this case's plan (1–${plan.steps.length} or ${plan.steps.map((s) => s.id).join(', ')})`,
    );
  c.steps[step.id] = { status: status as StepStatus, at: clock.now(), ...(note ? { note } : {}) };
  store.saveCase(c);
  io.out(t.t('case.step-saved', { step: step.id, status: t.t(`status.${status}`) }));
  return 0;
}

export function caseEvent(
  id: string,
  kind: string,
  at: string | undefined,
  note: string | undefined,
  store: Store,
  clock: Clock,
  t: Translator,
  io: Io,
): number {
  loadCase(store, id);
  if (!(eventKinds as readonly string[]).includes(kind))
    throw new CaseUsageError(`event kind must be one of ${eventKinds.join(', ')}`);
  const e: CaseEvent = {
    at: at ? parseDate(at, '--date') : clock.today(),
    kind: kind as EventKind,
    ...(note ? { note } : {}),
  };
  store.addEvent(id, e);
  io.out(t.t('case.event-saved', { kind: t.t(`event.${kind}`), at: e.at }));
  return 0;
}

export async function caseAddMail(
  id: string,
  files: string[],
  store: Store,
  knowledge: Knowledge,
  t: Translator,
  io: Io,
): Promise<number> {
  const c = loadCase(store, id);
  let status = 0;
  for await (const item of readInputs(files, knowledge.scoring.limits.maxMessageBytes)) {
    if ('error' in item) {
      io.err(t.t(`error.${item.error}`, { source: item.source }));
      status = 1;
      continue;
    }
    const out = await checkMessage(item.bytes, knowledge);
    if (!out.ok) {
      io.err(t.t(`error.${out.problem.code}`, { source: item.source, ...out.problem }));
      status = 1;
      continue;
    }
    const r = out.result;
    const auth = r.findings.find((f) => f.id.startsWith('auth.'));
    const mail: CaseMail = {
      source: item.source,
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
    c.mails.push(mail);
    io.out(t.t('case.mail-added', { source: item.source, verdict: t.t(`verdict.${r.verdict}`) }));
  }
  store.saveCase(c);
  return status;
}

/** Adds the charges reconcile flags (unexplained, cancelled-but-charged, or medium/high risk) to the case. */
export function caseAddCharges(
  id: string,
  store: Store,
  knowledge: Knowledge,
  t: Translator,
  io: Io,
): number {
  const c = loadCase(store, id);
  const data = store.load();
  if (data.charges.length === 0) throw new CaseUsageError(t.t('case.no-charges-stored'));
  const r = reconcile(
    { orders: assembleOrders(data.lines, data.payments), refunds: data.refunds, charges: data.charges },
    knowledge,
  );
  const pick = r.charges.filter(
    (x) =>
      x.category === 'unexplained' ||
      x.category === 'cancelled-but-charged' ||
      x.risk === 'high' ||
      x.risk === 'medium',
  );
  const known = new Set(c.charges.map((x) => x.key ?? `${x.date}|${x.description}|${x.amount}`));
  let added = 0;
  for (const x of pick) {
    const k = x.key;
    if (known.has(k)) continue;
    known.add(k);
    c.charges.push({
      key: x.key,
      date: x.date,
      description: x.description,
      amount: x.amount,
      currency: x.currency,
      orderIds: x.orderIds,
      category: x.category,
      risk: x.risk,
      reasons: [...new Set(x.findings.filter((f) => !f.id.startsWith('match.')).map((f) => f.id))],
    });
    added++;
  }
  c.charges.sort((a, b) => a.date.localeCompare(b.date));
  store.saveCase(c);
  io.out(t.t('case.charges-added', { added, total: c.charges.length }));
  return 0;
}

export function caseCheckup(
  id: string,
  o: {
    passwordStdin?: boolean;
    birthday?: string;
    twoStep?: string;
    oneClick?: string;
    storedCards?: string;
    bookmarks?: string;
    emailSecure?: string;
  },
  store: Store,
  clock: Clock,
  t: Translator,
  io: Io,
): number {
  const c = loadCase(store, id);
  let pw: PasswordVerdict | undefined;
  if (o.passwordStdin) {
    const password = readFileSync(0, 'utf8').replace(/\r?\n$/, '');
    if (!password) throw new CaseUsageError(t.t('checkup.no-password'));
    pw = checkPassword(password, { ...c.contact, birthday: o.birthday });
  }
  const yes = (v: string | undefined, good: string) =>
    v === undefined ? 'unknown' : v === good ? 'ok' : 'fix';
  const items: Record<string, 'ok' | 'fix' | 'unknown'> = {
    password: pw
      ? pw.score >= 3 && !pw.flags.some((f) => f === 'birthday' || f === 'phone' || f === 'name')
        ? 'ok'
        : 'fix'
      : 'unknown',
    'two-step': yes(o.twoStep, 'on'),
    'one-click': yes(o.oneClick, 'off'),
    'stored-cards': o.storedCards === undefined ? 'unknown' : Number(o.storedCards) <= 1 ? 'ok' : 'fix',
    bookmarks: yes(o.bookmarks, 'yes'),
    'email-security': yes(o.emailSecure, 'yes'),
  };
  c.checkup = { at: clock.now(), ...(pw ? { password: pw } : {}), items };
  store.saveCase(c);
  const out = [pc.bold(t.t('checkup.title'))];
  if (pw) {
    out.push(`  ${t.t('checkup.score', { score: pw.score })}${pw.warning ? ` — ${pw.warning}` : ''}`);
    for (const f of pw.flags) out.push(pc.yellow(`  ! ${t.t(`checkup.flag.${f}`)}`));
    out.push(pc.dim(`  ${t.t('checkup.not-stored')}`));
  }
  for (const [k, v] of Object.entries(items))
    out.push(
      `  ${v === 'ok' ? pc.green('✔') : v === 'fix' ? pc.red('✖') : pc.dim('?')} ${t.t(`checkup.item.${k}`)}${v !== 'ok' ? pc.dim(` — ${t.t(`checkup.advice.${k}`)}`) : ''}`,
    );
  io.out(out.join('\n'));
  return 0;
}

export function caseIcs(
  id: string,
  outPath: string | undefined,
  store: Store,
  knowledge: Knowledge,
  clock: Clock,
  t: Translator,
  io: Io,
): number {
  const c = loadCase(store, id);
  const ics = buildIcs(c.id, planForCase(c, knowledge, t.lang), clock.now(), {
    deadlinePrefix: t.t('ics.deadline'),
    reviewTitle: t.t('ics.review.title'),
    reviewBody: t.t('ics.review.body'),
  });
  const path = outPath ?? `${c.id}.ics`;
  writeFileSync(path, ics);
  io.out(t.t('case.ics-written', { path }));
  return 0;
}

export async function runReport(
  o: { caseId: string; format: string; audience?: string; out?: string },
  store: Store,
  knowledge: Knowledge,
  clock: Clock,
  t: Translator,
  io: Io,
): Promise<number> {
  const c = loadCase(store, o.caseId);
  const audience = (o.audience ?? 'card') as Audience;
  if (!(audiences as readonly string[]).includes(audience))
    throw new CaseUsageError(`--for must be one of ${audiences.join(', ')}`);
  if (!['pdf', 'html', 'md', 'csv'].includes(o.format))
    throw new CaseUsageError('--format must be pdf, html, md or csv');
  const text = (k: string, p?: Record<string, unknown>) => t.t(k, p);
  const path = o.out ?? `${c.id}-${audience}.${o.format}`;
  if (o.format === 'csv') {
    writeFileSync(path, disputedChargesCsv(c, text));
  } else {
    const doc = buildReport(
      c,
      store.events(c.id),
      planForCase(c, knowledge, t.lang),
      audience,
      text,
      t.lang,
      clock.today(),
    );
    if (o.format === 'md') writeFileSync(path, renderMarkdown(doc));
    else if (o.format === 'html') writeFileSync(path, renderHtml(doc));
    else {
      try {
        writeFileSync(path, await renderPdf(doc));
      } catch (err) {
        if (err instanceof FontMissingError) {
          io.err(t.t('report.no-font'));
          return 1;
        }
        throw err;
      }
    }
  }
  io.out(t.t('report.written', { path }));
  return 0;
}
