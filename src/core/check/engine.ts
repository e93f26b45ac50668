import type { Finding } from '#core/findings.ts';
import type { CheckKnowledge } from '#core/knowledge/compile.ts';
import { severities, type Severity, type Situation } from '#core/knowledge/constants.ts';
import { sniffFileKind } from '#core/file-kind.ts';
import { parseMail } from '#core/mail/parse.ts';
import type { MailAttachment, MailProblem, ParsedMail, PdfReading } from '#core/mail/types.ts';
import type { PictureSource } from '#core/mail/types.ts';
import type { PdfReader } from '#core/ports/pdf-reader.ts';
import { buildContext, isOwnLink, linkOwner, type CheckContext, type CheckOptions } from './context.ts';
import { detectors, type CheckRule, type DetectorId, type Hit } from './detectors/index.ts';
import type { DetectorParams } from './detectors/params.ts';
import { checkPicture, mayBeImageOnly, readMailPictures } from './pictures-check.ts';
import type { InputShape } from './shape.ts';

export type { Finding } from '#core/findings.ts';

export type Verdict = 'phishing' | 'suspicious' | 'legitimate' | 'unrelated';

/** What an account-security notice is about (the `notice.*` rules, phrase lists in data/phrases/security-*). */
export type NoticeKind = 'account-changed' | 'password-reset' | 'sign-in' | 'code';
/** When one mail reads as several kinds, the one that matters most names it: a change before a reset, a sign-in. */
export const noticeKinds: readonly NoticeKind[] = ['account-changed', 'password-reset', 'sign-in', 'code'];

/**
 * What the verdict's first line says. Mostly the verdict itself; three cases need their own words so that the
 * line never contradicts the evidence: a genuine security notice (`security-notice`, params `notice`), a genuine
 * mail citing an order not in the user's data (`genuine-unknown-order`, params `orderId`, `latestOrder`: the latest
 * order date in the data, `from`), and a genuine mail with another blocking finding (`authenticated-blocked`,
 * params `finding`).
 */
export type HeadlineId =
  Verdict | 'security-notice' | 'genuine-unknown-order' | 'authenticated-blocked' | LinkHeadlineId;
/**
 * A link checked on its own is never "unrelated": it is a brand's own site (`link-official`, params `brand`,
 * `domain`), shows dangerous signs (`link-dangerous`), or cannot be confirmed (`link-unconfirmed`).
 */
export type LinkHeadlineId = 'link-official' | 'link-dangerous' | 'link-unconfirmed';
export interface Headline {
  id: HeadlineId;
  params: Record<string, string | number>;
}

export interface LinkReport {
  kind: string;
  text: string;
  target: string;
  domain: string | null;
  own: boolean;
}

export interface CheckResult {
  verdict: Verdict;
  /** Merchant profile id of the brand the mail presents itself as, or null. */
  brand: string | null;
  score: number;
  findings: Finding[];
  links: LinkReport[];
  /** Judged on content and links alone: the input had no headers. */
  headerless: boolean;
  /** What the input was: a mail, pasted text, an SMS-shaped text, or a link on its own. */
  shape: InputShape;
  subject: string;
  from: string | null;
  orderIds: string[];
  /** `security` when the mail reads as an account-security notice (whatever its verdict), else null. */
  notice: 'security' | null;
  noticeKind: NoticeKind | null;
  headline: Headline;
  /** The situations of `mamori plan` this mail points to (if the notice was not you, the unknown order, …). */
  suggestedSituations: Situation[];
  /** Set when the input was a picture: its text was read by OCR; what to compare with the picture. */
  picture?: PictureSource;
}

export type CheckOutcome = { ok: true; result: CheckResult } | { ok: false; problem: MailProblem };

const rank = (s: Severity) => severities.indexOf(s);

function hitsOf<K extends DetectorId>(detector: K, params: DetectorParams[K], ctx: CheckContext): Hit[] {
  return detectors[detector](ctx, params);
}

function runRule(rule: CheckRule, ctx: CheckContext): Finding | null {
  if (rule.inputs && !rule.inputs.includes(ctx.shape)) return null;
  const hits = hitsOf(rule.detector, rule.params, ctx);
  if (hits.length === 0) return null;
  // The evidence is bounded whatever a detector returns; `hits` still says how many there were.
  const shown = hits.slice(0, ctx.knowledge.scoring.limits.maxFindingsPerRule);
  return {
    id: rule.id,
    severity: rule.severity,
    evidence: [...new Set(shown.map((h) => h.evidence))].join('\n'),
    // `brand`: the claimed brand's display name, for the sentences; a detector may name another (the imitated one).
    params: { ...(ctx.merchant ? { brand: ctx.merchant.name } : {}), ...hits[0]!.params, hits: hits.length },
  };
}

const isBlocking = (ctx: CheckContext, f: Finding) =>
  ctx.knowledge.scoring.blockLegitimate.areas.includes(f.id.split('.')[0]!) &&
  rank(f.severity) >= rank(ctx.knowledge.scoring.blockLegitimate.minSeverity);

/** Without a brand claim, only a finding like this can make a mail suspicious (scoring.yaml `unclaimed`). */
const isSubstantive = (ctx: CheckContext, f: Finding, weights: ReadonlyMap<string, number>) =>
  (weights.get(f.id) ?? 0) > 0 &&
  !ctx.knowledge.scoring.unclaimed.weak.includes(f.id) &&
  rank(f.severity) >= rank(ctx.knowledge.scoring.unclaimed.minSeverity);

/**
 * The verdict from the findings. A mail read only in part (`input.partial`: a limit was hit, or the MIME parser gave
 * up and a fallback read it) can lower trust but never raise it: it is never `legitimate`, whatever authenticated.
 */
export function judge(ctx: CheckContext, findings: Finding[]): { verdict: Verdict; score: number } {
  const { scoring } = ctx.knowledge;
  const partial =
    findings.some((f) => f.id === 'input.partial') ||
    ctx.mail.notes.some((n) => n.code !== 'charset-repaired');
  const weights = new Map(ctx.knowledge.rules.map((r) => [r.id, r.weight]));
  let score = findings.reduce((s, f) => s + (weights.get(f.id) ?? 0), 0);
  score = Math.max(0, Math.min(100, score));
  if (findings.some((f) => f.severity === 'critical')) score = Math.max(score, scoring.phishingAt);
  if (ctx.shape === 'link') return judgeLink(ctx, findings, score, partial);
  if (ctx.shape === 'sms' && !partial && quietSms(ctx, findings)) return { verdict: 'legitimate', score };
  if (ctx.merchant && ctx.authenticated) {
    const blocking = findings.some((f) => isBlocking(ctx, f));
    if (!blocking && !partial) return { verdict: 'legitimate', score };
    return { verdict: 'suspicious', score: Math.max(score, scoring.suspiciousAt) };
  }
  if (!ctx.merchant && !findings.some((f) => isSubstantive(ctx, f, weights))) {
    return { verdict: score >= scoring.phishingAt ? 'phishing' : 'unrelated', score };
  }
  if (score >= scoring.phishingAt) return { verdict: 'phishing', score };
  if (score >= scoring.suspiciousAt || ctx.merchant)
    return { verdict: 'suspicious', score: Math.max(score, ctx.merchant ? scoring.suspiciousAt : score) };
  return { verdict: 'unrelated', score };
}

/** A run of digits, spaces, brackets and dashes that holds ten digits or more: a phone number, not a code. */
function hasPhoneNumber(text: string): boolean {
  for (const m of text.matchAll(/\+?[\d(][\d\s()-]{8,}\d/g))
    if (m[0].replace(/\D/g, '').length >= 10) return true;
  return false;
}

/**
 * An SMS that names a brand and asks nothing of the reader off the brand's own sites: a one-time code with no link,
 * or a notice whose every link is on the claimed brand's official domains, with no finding above `info` but the
 * claim's own "cannot be confirmed" (an SMS carries no authentication). It is not flagged: it is no worse than the
 * verdict for its link on its own (`judgeLink`), and the advice stays to open the app rather than follow a link.
 */
function quietSms(ctx: CheckContext, findings: readonly Finding[]): boolean {
  const m = ctx.merchant;
  if (!m) return false;
  if (findings.some((f) => f.severity !== 'info' && f.id !== 'auth.unverified-claim')) return false;
  // A number to call is what a callback scam asks for, even when no callback rule matched its words.
  if (hasPhoneNumber(ctx.body.norm)) return false;
  const family = m.family ?? m.id;
  return ctx.links.every((l) => {
    if (l.userinfo || l.ip) return false;
    const owner = linkOwner(ctx, l.domain);
    return owner !== null && (owner.family ?? owner.id) === family;
  });
}

/** The brand whose own site every link of a link-only input is on, or null. */
function officialLinkBrand(ctx: CheckContext): { name: string; id: string; domain: string } | null {
  const web = ctx.links.filter((l) => l.kind === 'text' && l.host);
  let first: { name: string; id: string; domain: string } | null = null;
  for (const l of web) {
    const owner = l.userinfo || l.ip ? null : linkOwner(ctx, l.domain);
    if (!owner) return null;
    first ??= { name: owner.name, id: owner.id, domain: l.domain! };
  }
  return first;
}

/** Whose a link on its own is, or imitates: the brand's own site, or the brand whose page it copies. */
function linkBrand(ctx: CheckContext, verdict: Verdict, findings: readonly Finding[]): string | null {
  if (ctx.shape !== 'link') return null;
  if (verdict === 'legitimate') return officialLinkBrand(ctx)?.id ?? null;
  const copied = findings.find((f) => f.id === 'link.brand-path')?.params.merchant;
  return typeof copied === 'string' ? copied : null;
}

/**
 * A link on its own (`shape: link`) is never `unrelated`: any sign `scoring.linkOnly.phishing` names (or a score at
 * the phishing threshold) makes it `phishing`; a link on a brand's own site with no link finding of medium or more
 * is `legitimate`; anything else cannot be confirmed and is `suspicious`.
 */
function judgeLink(
  ctx: CheckContext,
  findings: Finding[],
  score: number,
  partial: boolean,
): { verdict: Verdict; score: number } {
  const { scoring } = ctx.knowledge;
  const danger = findings.some((f) => scoring.linkOnly.phishing.includes(f.id) || f.severity === 'critical');
  if (danger || score >= scoring.phishingAt)
    return { verdict: 'phishing', score: Math.max(score, scoring.phishingAt) };
  const linkWarning = findings.some((f) => f.id.startsWith('link.') && rank(f.severity) >= rank('medium'));
  if (!partial && !linkWarning && officialLinkBrand(ctx)) return { verdict: 'legitimate', score };
  return { verdict: 'suspicious', score: Math.max(score, scoring.suspiciousAt) };
}

/** Which security notice the mail reads as, by the `notice.*` findings. */
function noticeOf(findings: readonly Finding[]): NoticeKind | null {
  const hit = new Set(findings.map((f) => f.id));
  return noticeKinds.find((k) => hit.has(`notice.${k}`)) ?? null;
}

/** If a genuine notice was not you: someone may have the password (or changed the account). */
const NOTICE_SITUATIONS: Record<NoticeKind, Situation[]> = {
  'account-changed': ['account-changed'],
  'password-reset': ['entered-password'],
  'sign-in': ['entered-password'],
  code: ['entered-password'],
};

/** The first line and the plans that follow from the verdict and its evidence. */
export function headlineOf(
  ctx: CheckContext,
  verdict: Verdict,
  findings: readonly Finding[],
  notice: NoticeKind | null,
): { headline: Headline; suggestedSituations: Situation[] } {
  // An SMS whose links are all on the brand's own site reads as that link on its own would (a code has its own).
  if (
    ctx.shape === 'link' ||
    (ctx.shape === 'sms' && verdict === 'legitimate' && !notice && ctx.links.length)
  ) {
    const official = verdict === 'legitimate' ? officialLinkBrand(ctx) : null;
    return official
      ? {
          headline: { id: 'link-official', params: { brand: official.name, domain: official.domain } },
          suggestedSituations: [],
        }
      : verdict === 'phishing'
        ? { headline: { id: 'link-dangerous', params: {} }, suggestedSituations: ['suspicious-mail'] }
        : { headline: { id: 'link-unconfirmed', params: {} }, suggestedSituations: [] };
  }
  if (verdict === 'legitimate' && notice)
    return {
      headline: { id: 'security-notice', params: { notice } },
      suggestedSituations: NOTICE_SITUATIONS[notice],
    };
  if (verdict === 'suspicious' && ctx.merchant && ctx.authenticated) {
    const blocking = findings.filter((f) => isBlocking(ctx, f));
    const unknown = blocking.find((f) => f.id === 'order.not-in-history');
    if (unknown && blocking.every((f) => f.id === unknown.id))
      return {
        headline: {
          id: 'genuine-unknown-order',
          params: {
            orderId: String(unknown.params.orderId ?? unknown.evidence),
            latestOrder: ctx.orders?.coverage?.to ?? '',
            from: ctx.orders?.coverage?.from ?? '',
          },
        },
        suggestedSituations: ['unknown-order'],
      };
    if (blocking[0])
      return {
        headline: { id: 'authenticated-blocked', params: { finding: blocking[0].id } },
        suggestedSituations: [],
      };
  }
  return {
    headline: { id: verdict, params: {} },
    suggestedSituations: verdict === 'phishing' ? ['suspicious-mail'] : [],
  };
}

export function evaluate(ctx: CheckContext): CheckResult {
  const findings: Finding[] = [];
  for (const rule of ctx.knowledge.rules) {
    const f = runRule(rule, ctx);
    if (f) findings.push(f);
  }
  findings.sort((a, b) => rank(b.severity) - rank(a.severity));
  const { verdict, score } = judge(ctx, findings);
  const noticeKind = noticeOf(findings);
  const { headline, suggestedSituations } = headlineOf(ctx, verdict, findings, noticeKind);
  const f = ctx.mail.from;
  return {
    verdict,
    brand: ctx.merchant?.id ?? linkBrand(ctx, verdict, findings),
    score,
    findings,
    links: ctx.links.map((l) => ({
      kind: l.kind,
      text: l.text,
      target: l.target,
      domain: l.domain ?? l.host,
      own: isOwnLink(ctx, l.domain),
    })),
    headerless: ctx.mail.headerless,
    shape: ctx.shape,
    subject: ctx.mail.subject,
    from: f ? (f.name ? `${f.name} <${f.address}>` : f.address) : null,
    orderIds: ctx.orderIds,
    notice: noticeKind ? 'security' : null,
    noticeKind,
    headline,
    suggestedSituations,
  };
}

const isPdf = (a: MailAttachment) => a.mimeType === 'application/pdf' || /\.pdf$/i.test(a.filename);

/**
 * Each attached PDF read by the adapter, one at a time, its text and links kept on the attachment; a PDF read only
 * in part, or not at all, is a note (`input.partial`), so such a mail is never called genuine on the part read.
 */
async function readAttachedPdfs(mail: ParsedMail, readPdf: PdfReader): Promise<void> {
  for (const a of mail.attachments) {
    // A file under a PDF name that is not one is `attach.pdf-invalid` already; only real PDFs are read.
    if (!a.content || !isPdf(a) || sniffFileKind(a.content) !== 'pdf') continue;
    let reading: PdfReading;
    try {
      reading = await readPdf(a.content);
    } catch (e) {
      reading = { ok: false, reason: 'unreadable', detail: e instanceof Error ? e.message : String(e) };
    }
    a.pdf = reading;
    const name = a.filename || '(no name)';
    if (!reading.ok) mail.notes.push({ code: 'pdf-partial', name, reason: reading.reason });
    else if (reading.pagesRead < reading.pages)
      mail.notes.push({ code: 'pdf-partial', name, reason: 'pages' });
    else if (reading.textCapped) mail.notes.push({ code: 'pdf-partial', name, reason: 'text' });
  }
}

/** Parses and judges one message. Pure: the bytes, the knowledge and the user's orders in, a verdict out. */
export async function checkMessage(
  raw: Uint8Array,
  knowledge: CheckKnowledge,
  options: CheckOptions = {},
): Promise<CheckOutcome> {
  if (options.readImage && sniffFileKind(raw) === 'image') return checkPicture(raw, knowledge, options);
  const parsed = await parseMail(raw, knowledge.scoring.limits);
  if (!parsed.ok) return parsed;
  if (options.readPdf) await readAttachedPdfs(parsed.mail, options.readPdf);
  if (options.readImage)
    await readMailPictures(
      parsed.mail,
      options.readImage,
      knowledge.scoring.limits.image,
      mayBeImageOnly(parsed.mail, knowledge),
    );
  return { ok: true, result: evaluate(buildContext(parsed.mail, knowledge, options)) };
}
