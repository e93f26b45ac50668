import type { Finding } from '#core/findings.ts';
import type { CheckKnowledge } from '#core/knowledge/compile.ts';
import { severities, type Severity } from '#core/knowledge/constants.ts';
import { parseMail } from '#core/mail/parse.ts';
import type { MailProblem } from '#core/mail/types.ts';
import { buildContext, isOwnLink, type CheckContext, type CheckOptions } from './context.ts';
import { detectors, type CheckRule, type DetectorId, type Hit } from './detectors/index.ts';
import type { DetectorParams } from './detectors/params.ts';

export type { Finding } from '#core/findings.ts';

export type Verdict = 'phishing' | 'suspicious' | 'legitimate' | 'unrelated';

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
  subject: string;
  from: string | null;
  orderIds: string[];
}

export type CheckOutcome = { ok: true; result: CheckResult } | { ok: false; problem: MailProblem };

const rank = (s: Severity) => severities.indexOf(s);

function hitsOf<K extends DetectorId>(detector: K, params: DetectorParams[K], ctx: CheckContext): Hit[] {
  return detectors[detector](ctx, params);
}

function runRule(rule: CheckRule, ctx: CheckContext): Finding | null {
  const hits = hitsOf(rule.detector, rule.params, ctx);
  if (hits.length === 0) return null;
  // The evidence is bounded whatever a detector returns; `hits` still says how many there were.
  const shown = hits.slice(0, ctx.knowledge.scoring.limits.maxFindingsPerRule);
  return {
    id: rule.id,
    severity: rule.severity,
    evidence: [...new Set(shown.map((h) => h.evidence))].join('\n'),
    params: { ...hits[0]!.params, hits: hits.length },
  };
}

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
  if (ctx.merchant && ctx.authenticated) {
    const blocking = findings.some(
      (f) =>
        scoring.blockLegitimate.areas.includes(f.id.split('.')[0]!) &&
        rank(f.severity) >= rank(scoring.blockLegitimate.minSeverity),
    );
    if (!blocking && !partial) return { verdict: 'legitimate', score };
    return { verdict: 'suspicious', score: Math.max(score, scoring.suspiciousAt) };
  }
  if (score >= scoring.phishingAt) return { verdict: 'phishing', score };
  if (score >= scoring.suspiciousAt || ctx.merchant)
    return { verdict: 'suspicious', score: Math.max(score, ctx.merchant ? scoring.suspiciousAt : score) };
  return { verdict: 'unrelated', score };
}

export function evaluate(ctx: CheckContext): CheckResult {
  const findings: Finding[] = [];
  for (const rule of ctx.knowledge.rules) {
    const f = runRule(rule, ctx);
    if (f) findings.push(f);
  }
  findings.sort((a, b) => rank(b.severity) - rank(a.severity));
  const { verdict, score } = judge(ctx, findings);
  const f = ctx.mail.from;
  return {
    verdict,
    brand: ctx.merchant?.id ?? null,
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
    subject: ctx.mail.subject,
    from: f ? (f.name ? `${f.name} <${f.address}>` : f.address) : null,
    orderIds: ctx.orderIds,
  };
}

/** Parses and judges one message. Pure: the bytes, the knowledge and the user's orders in, a verdict out. */
export async function checkMessage(
  raw: Uint8Array,
  knowledge: CheckKnowledge,
  options: CheckOptions = {},
): Promise<CheckOutcome> {
  const parsed = await parseMail(raw, knowledge.scoring.limits);
  if (!parsed.ok) return parsed;
  return { ok: true, result: evaluate(buildContext(parsed.mail, knowledge, options)) };
}
