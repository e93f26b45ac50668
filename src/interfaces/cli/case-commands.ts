import { storedProvider } from '#core/mail/provider-setting.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import pc from 'picocolors';
import { pathMailSource } from '#adapters/input/mail-source.ts';
import { stderrNotifier } from '#adapters/notify/stderr-notifier.ts';
import { FontMissingError, renderPdf } from '#adapters/report/pdf.ts';
import { buildReport } from '#core/app/build-report.ts';
import {
  addDisputedCharges,
  addMails,
  isCaseError,
  openCase,
  recordEvent,
  recordStep,
  type CaseError,
} from '#core/app/cases.ts';
import { planFor, planForSituations, type PlanWithScripts } from '#core/app/plan-for.ts';
import { checkupItems, runCheckup } from '#core/app/run-checkup.ts';
import type { CaseRecord } from '#core/case/case.ts';
import { buildIcs } from '#core/case/ics.ts';
import type { Knowledge } from '#core/knowledge/compile.ts';
import { situations as allSituations, type Situation } from '#core/knowledge/constants.ts';
import {
  planBrand,
  type CaseFacts,
  type Plan,
  type PlanBrand,
  type PlanStep,
  type RouteStatus,
} from '#core/plan/plan.ts';
import type { Clock } from '#core/ports/clock.ts';
import type { PasswordScorer } from '#core/ports/password-scorer.ts';
import type { Store } from '#core/ports/store.ts';
import type { Translator } from '#interfaces/i18n.ts';
import {
  UsageError,
  parseAudience,
  parseCard,
  parseCount,
  parseDate,
  parseEventKind,
  parseFormat,
  parseOnOff,
  parseRegion,
  parseSituations,
  parseStatus,
  parseYesNo,
} from './args.ts';
import type { Io } from './check-command.ts';
import { WriteError, mailProblemText, sourceLabel } from './messages.ts';
import { readHiddenLine } from './prompt.ts';

/** Writes a file the person asked for; a failure (no permission, a full disk …) is said with its path. */
function writeFile(path: string, data: string | Uint8Array): void {
  try {
    writeFileSync(path, data);
  } catch (err) {
    throw new WriteError(path, err);
  }
}

/** A use case's refusal as a usage error in the person's language (exit 2). */
function refuse(e: CaseError): never {
  if (e.error === 'no-case') throw new UsageError('usage.no-case', { id: e.id });
  if (e.error === 'unknown-step')
    throw new UsageError('usage.step', { step: e.step, steps: e.steps.join(', ') });
  if (e.error === 'before-case')
    throw new UsageError('usage.date-before-case', { value: e.date.slice(0, 10), noticed: e.noticed });
  throw new UsageError('case.no-charges-stored');
}

async function loadCase(store: Store, id: string): Promise<CaseRecord> {
  return (await store.getCase(id)) ?? refuse({ error: 'no-case', id });
}

/** The situations with their labels, numbered as `mamori plan` asks for them. */
export function situationList(t: Translator): string {
  return allSituations
    .map((s, i) => `  ${String(i + 1).padStart(2)}. ${s.padEnd(22)} ${t.t(`situation.${s}`)}`)
    .join('\n');
}

/** Situations chosen by number (as listed) or by name; anything else is reported back. */
export function pickSituations(answer: string): { picked: Situation[]; bad: string[] } {
  const picked: Situation[] = [];
  const bad: string[] = [];
  for (const raw of answer
    .normalize('NFKC')
    .split(/[,、\s]+/)
    .filter(Boolean)) {
    const n = /^\d+$/.test(raw) ? allSituations[Number(raw) - 1] : undefined;
    const s = n ?? allSituations.find((x) => x === raw);
    if (s) picked.push(s);
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
  opts: { caseId?: string; detail?: boolean } = {},
): string {
  const out = [pc.bold(t.t('plan.title', { count: plan.steps.length, noticed: plan.noticed }))];
  if (plan.at)
    out.push(
      t.t('plan.at', { date: plan.at.date, time: plan.at.time, weekday: t.t(`weekday.${plan.at.weekday}`) }),
    );
  const night = plan.at && (plan.at.time >= '21:00' || plan.at.time < '06:00');
  let group: string | undefined;
  for (const s of plan.steps) {
    const g = s.when === 'now' ? 'now' : 'rest';
    if (g !== group) out.push('', pc.bold(t.t(`plan.group.${g}${g === 'now' && night ? '-night' : ''}`)));
    group = g;
    const tags = [pc.cyan(t.t(`who.${s.who}`)), t.t(`plan.when.${s.when}`)];
    if (s.route) tags.push(routeText(s.route, t));
    out.push(
      '',
      `${pc.bold(`${s.n}. ${s.title}`)}${opts.detail ? ` ${pc.dim(`(${s.id})`)}` : ''}`,
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
    // Where a step comes from (the reference's section and source ids) is for staff: with --detail.
    if (opts.detail) out.push(pc.dim(`   ${t.t('plan.source')}: ${s.source}`));
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

function scripts(p: PlanWithScripts, t: Translator): { who: string; lines: string[] }[] {
  return p.scripts.map((sc) => ({
    who: sc.who,
    lines: sc.lines.map((l) =>
      t.t(l.key, Object.fromEntries(Object.entries(l.params).map(([k, v]) => [k, v || t.t('script.blank')]))),
    ),
  }));
}

export async function runPlan(
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
    /** The brand a fake mail impersonated (a merchant profile id): its steps name it instead of Amazon. */
    brand?: string;
    json: boolean;
    /** Human output also shows each step's id. */
    detail?: boolean;
  },
  knowledge: Knowledge,
  t: Translator,
  io: Io,
  clock: Clock,
  store: () => Store,
): Promise<number> {
  const today = clock.today();
  const facts: Partial<CaseFacts> = {
    ...(opts.firstCharge ? { firstCharge: parseDate(opts.firstCharge, '--first-charge', today) } : {}),
    ...(opts.statementDate
      ? { statementDate: parseDate(opts.statementDate, '--statement-date', today) }
      : {}),
    ...(opts.charges?.length ? { charges: opts.charges } : {}),
  };
  const when = { now: clock.now(), today };
  let brand: PlanBrand | undefined;
  if (opts.brand !== undefined) {
    const m = knowledge.merchants.find((x) => x.id === opts.brand);
    if (!m)
      throw new UsageError('usage.brand', {
        value: opts.brand,
        choices: knowledge.merchants.map((x) => x.id).join(', '),
      });
    brand = planBrand(m, t.lang);
  }
  let p: PlanWithScripts;
  let caseId: string | undefined;
  if (opts.caseId) {
    const s = store();
    let c: CaseRecord;
    try {
      c = await loadCase(s, opts.caseId);
    } finally {
      s.close();
    }
    caseId = c.id;
    p = planFor(c, knowledge, t.lang, { ...when, facts, ...(brand ? { brand } : {}) });
  } else {
    if (!opts.situation) throw new UsageError('plan.need-situation');
    p = planForSituations(
      {
        situations: parseSituations(opts.situation),
        region: parseRegion(opts.region),
        noticed: opts.noticed ? parseDate(opts.noticed, '--noticed', today) : today,
        card: parseCard(opts.card),
        facts,
        ...when,
        ...(brand ? { brand } : {}),
      },
      knowledge,
      t.lang,
    );
  }
  const script = scripts(p, t);
  if (opts.json) io.out(JSON.stringify({ ...p.plan, script }));
  else io.out(renderPlan(p.plan, t, script, { ...(caseId ? { caseId } : {}), detail: opts.detail === true }));
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
  address?: string;
  cardLast4?: string;
  cardIssuer?: string;
  title?: string;
}

/** The card's last four digits as people type them (full-width too); anything else is a usage error. */
export function parseLast4(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const d = raw.normalize('NFKC').trim();
  if (!/^\d{4}$/.test(d)) throw new UsageError('usage.card-last4', { value: raw });
  return d;
}

/** Validated before the store is opened: a typo never waits for a lock. */
export function parseCaseNew(o: CaseNewOptions, t: Translator, today?: string) {
  const card = parseCard(o.card);
  return {
    title: o.title ?? t.t('case.default-title'),
    region: parseRegion(o.region),
    situations: parseSituations(o.situation),
    ...(o.noticed ? { noticed: parseDate(o.noticed, '--noticed', today) } : {}),
    ...(card ? { card } : {}),
    cardInfo: {
      ...(o.cardLast4 !== undefined ? { last4: parseLast4(o.cardLast4) } : {}),
      ...(o.cardIssuer ? { issuer: o.cardIssuer } : {}),
    },
    contact: {
      ...(o.name ? { name: o.name } : {}),
      ...(o.phone ? { phone: o.phone } : {}),
      ...(o.email ? { email: o.email } : {}),
      ...(o.address ? { address: o.address } : {}),
    },
  };
}

export async function caseNew(
  n: ReturnType<typeof parseCaseNew>,
  store: Store,
  clock: Clock,
  t: Translator,
  io: Io,
  json: boolean,
): Promise<number> {
  const c = await openCase(store, n, clock);
  io.out(json ? JSON.stringify({ id: c.id }) : t.t('case.created', { id: c.id }));
  return 0;
}

export async function caseShow(
  id: string,
  store: Store,
  knowledge: Knowledge,
  t: Translator,
  io: Io,
  json: boolean,
  detail = false,
): Promise<number> {
  const c = await loadCase(store, id);
  const events = await store.events(id);
  const { plan } = planFor(c, knowledge, t.lang);
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
    `${t.t('report.situations')}: ${c.situations.map((s) => t.t(`situation.${s}`)).join(t.t('list.separator'))}  ${t.t('report.noticed')}: ${c.noticed}`,
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
      `  ${mark} ${s.n}. ${s.title}${detail ? ` ${pc.dim(`(${s.id})`)}` : ''}${s.deadline && st !== 'done' ? pc.red(` ${t.t('plan.deadline', { date: s.deadline })}`) : ''}`,
    );
  }
  out.push('', `${t.t('report.charges')}: ${c.charges.length}  ${t.t('report.mails')}: ${c.mails.length}`);
  io.out(out.join('\n'));
  return 0;
}

export async function caseList(store: Store, t: Translator, io: Io, json: boolean): Promise<number> {
  const cases = await store.listCases();
  if (json)
    io.out(
      JSON.stringify(
        cases.map((c) => ({ id: c.id, title: c.title, noticed: c.noticed, situations: c.situations })),
      ),
    );
  else if (!cases.length) io.out(t.t('case.none'));
  else
    for (const c of cases)
      io.out(
        `${c.id}  ${c.noticed}  ${c.title}  (${c.situations.map((s) => t.t(`situation.${s}`)).join(t.t('list.separator'))})`,
      );
  return 0;
}

export async function caseStep(
  id: string,
  step: { id: string; status: ReturnType<typeof parseStatus>; note?: string; receipt?: string; at?: string },
  store: Store,
  knowledge: Knowledge,
  clock: Clock,
  t: Translator,
  io: Io,
): Promise<number> {
  const r = await recordStep(store, id, step, { knowledge, lang: t.lang, clock });
  if (isCaseError(r)) refuse(r);
  io.out(t.t('case.step-saved', { step: r.step, status: t.t(`status.${step.status}`) }));
  return 0;
}

export async function caseEvent(
  id: string,
  e: { kind: ReturnType<typeof parseEventKind>; at?: string; note?: string; receipt?: string },
  store: Store,
  clock: Clock,
  t: Translator,
  io: Io,
): Promise<number> {
  const r = await recordEvent(store, id, e, clock);
  if (isCaseError(r)) refuse(r);
  io.out(t.t('case.event-saved', { kind: t.t(`event.${r.kind}`), at: r.at }));
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
  let status = 0;
  const source = pathMailSource(
    files,
    knowledge.scoring.limits,
    stderrNotifier((k, p) => t.t(k, p), io.err),
  );
  // Judged as `mamori check` judges it: the person's provider, attached PDFs and pictures read.
  const { mailReaders } = await import('./mail-readers.ts');
  const readers = mailReaders(knowledge);
  const options = {
    provider: await storedProvider(store),
    readPdf: readers.readPdf,
    readImage: readers.readImage,
  };
  try {
    for await (const o of addMails(store, id, source, { knowledge, options })) {
      if ('error' in o) refuse(o);
      if ('refused' in o) {
        io.err(t.t('case.mail-refused', { source: sourceLabel(t, o.label) }));
        status = 1;
        continue;
      }
      if (!o.ok) {
        io.err(mailProblemText(t, o.problem, sourceLabel(t, o.label)));
        status = 1;
        continue;
      }
      io.out(
        t.t(o.result.verdict === 'legitimate' ? 'case.mail-added-notice' : 'case.mail-added', {
          source: sourceLabel(t, o.label),
          verdict: t.t(`verdict.${o.result.verdict}`),
        }),
      );
    }
  } finally {
    await readers.close();
  }
  return status;
}

/** Adds the charges reconcile flags (unexplained, cancelled-but-charged, or medium/high risk) to the case. */
export async function caseAddCharges(
  id: string,
  store: Store,
  knowledge: Knowledge,
  t: Translator,
  io: Io,
): Promise<number> {
  const r = await addDisputedCharges(store, id, knowledge);
  if (isCaseError(r)) refuse(r);
  io.out(t.t('case.charges-added', { added: r.added, total: r.total }));
  return 0;
}

export interface CheckupOptions {
  passwordStdin?: boolean;
  birthday?: string;
  twoStep?: string;
  oneClick?: string;
  storedCards?: string;
  bookmarks?: string;
  emailSecure?: string;
}

/** Validated before the store is opened or the password read. */
export function parseCheckup(o: CheckupOptions) {
  return {
    passwordStdin: o.passwordStdin === true,
    ...(o.birthday ? { birthday: parseDate(o.birthday, '--birthday') } : {}),
    twoStep: parseOnOff(o.twoStep, '--two-step'),
    oneClick: parseOnOff(o.oneClick, '--one-click'),
    storedCards: parseCount(o.storedCards, '--stored-cards'),
    bookmarks: parseYesNo(o.bookmarks, '--bookmarks'),
    emailSecure: parseYesNo(o.emailSecure, '--email-secure'),
  };
}

export async function caseCheckup(
  id: string,
  o: ReturnType<typeof parseCheckup>,
  store: Store,
  deps: { clock: Clock; scorer: () => PasswordScorer },
  t: Translator,
  io: Io,
): Promise<number> {
  const c = await loadCase(store, id);
  let password: string | undefined;
  if (o.passwordStdin) {
    // On a terminal the password is typed without echo; piped in, it is read as it comes.
    password = process.stdin.isTTY
      ? ((await readHiddenLine(t.t('checkup.type-password-hidden'))) ?? '')
      : readFileSync(0, 'utf8').replace(/\r?\n$/, '');
    if (!password) throw new UsageError('checkup.no-password');
  }
  const { passwordStdin: _, ...answers } = o;
  const r = await runCheckup(
    c,
    { ...answers, ...(password !== undefined ? { password } : {}) },
    { scorer: deps.scorer(), clock: deps.clock },
  );
  await store.saveCase(r.case);
  const pw = r.password;
  const out = [pc.bold(t.t('checkup.title'))];
  if (pw) {
    out.push(`  ${t.t('checkup.score', { score: pw.score })}${pw.warning ? ` — ${pw.warning}` : ''}`);
    for (const f of pw.flags) out.push(pc.yellow(`  ! ${t.t(`checkup.flag.${f}`)}`));
    out.push(pc.dim(`  ${t.t('checkup.not-stored')}`));
  }
  for (const k of checkupItems) {
    const v = r.checkup.items[k] ?? 'unknown';
    out.push(
      `  ${v === 'ok' ? pc.green('✔') : v === 'fix' ? pc.red('✖') : pc.dim('?')} ${t.t(`checkup.item.${k}`)}${v !== 'ok' ? pc.dim(` — ${t.t(`checkup.advice.${k}`)}`) : ''}`,
    );
  }
  io.out(out.join('\n'));
  return 0;
}

export async function caseIcs(
  id: string,
  outPath: string | undefined,
  store: Store,
  knowledge: Knowledge,
  clock: Clock,
  t: Translator,
  io: Io,
): Promise<number> {
  const c = await loadCase(store, id);
  const ics = buildIcs(c.id, planFor(c, knowledge, t.lang).plan, clock.now(), {
    deadlinePrefix: t.t('ics.deadline'),
    reviewTitle: t.t('ics.review.title'),
    reviewBody: t.t('ics.review.body'),
  });
  const path = outPath ?? `${c.id}.ics`;
  writeFile(path, ics);
  io.out(t.t('case.ics-written', { path: resolve(path) }));
  return 0;
}

export function parseReport(o: { format: string; audience?: string }) {
  return { audience: parseAudience(o.audience), format: parseFormat(o.format) };
}

export async function runReport(
  o: { caseId: string; out?: string } & ReturnType<typeof parseReport>,
  store: Store,
  knowledge: Knowledge,
  clock: Clock,
  t: Translator,
  io: Io,
): Promise<number> {
  const text = (k: string, p?: Record<string, unknown>) => t.t(k, p);
  const r = await buildReport(store, o.caseId, o, { knowledge, text, lang: t.lang, clock });
  if (!r) refuse({ error: 'no-case', id: o.caseId });
  const path = o.out ?? `${o.caseId}-${o.audience}.${o.format}`;
  if (r.format !== 'pdf') writeFile(path, r.text);
  else {
    try {
      writeFile(path, await renderPdf(r.doc));
    } catch (err) {
      if (err instanceof FontMissingError) {
        io.err(t.t('report.no-font'));
        return 1;
      }
      throw err;
    }
  }
  io.out(t.t('report.written', { path: resolve(path) }));
  return 0;
}
