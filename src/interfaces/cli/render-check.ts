import pc from 'picocolors';
import type { CheckResult } from '#core/check/index.ts';
import { plainText as safe } from '#core/report/report.ts';
import type { Knowledge } from '#core/knowledge/compile.ts';
import type { Region } from '#core/plan/plan.ts';
import { reportRoutesFor, type ReportRoute } from '#core/plan/report-routes.ts';
import type { Merchant } from '#core/knowledge/schema.ts';
import type { Translator } from '#interfaces/i18n.ts';

const SEVERITY_LABEL: Record<string, { ja: string; en: string }> = {
  critical: { ja: '危険', en: 'critical' },
  high: { ja: '高', en: 'high' },
  medium: { ja: '中', en: 'medium' },
  low: { ja: '低', en: 'low' },
  info: { ja: '情報', en: 'info' },
};

/** Links are shown defanged (hxxps://evil[.]example) so a terminal never turns them into something clickable. */
export function defang(url: string): string {
  return url.replace(/^http/i, 'hxxp').replace(/\./g, '[.]');
}

/** The headline's own words where the verdict's alone would contradict the evidence (engine.ts `Headline`). */
function headlineText(r: CheckResult, t: Translator): { label: string; summary: string } {
  const h = r.headline;
  if (h.id === r.verdict) return { label: t.t(`verdict.${r.verdict}`), summary: t.t(`summary.${r.verdict}`) };
  const params = { ...h.params, noticeLabel: r.noticeKind ? t.t(`notice.${r.noticeKind}`) : '' };
  const summary =
    h.id === 'security-notice' && r.noticeKind === 'account-changed'
      ? 'summary.security-notice.account-changed'
      : `summary.${h.id}`;
  return { label: t.t(`headline.${h.id}`, params), summary: t.t(summary, params) };
}

function verdictLine(r: CheckResult, label: string): string {
  switch (r.headline.id) {
    case 'phishing':
    case 'link-dangerous':
      return pc.bold(pc.red(`✖ ${label}`));
    case 'suspicious':
    case 'link-unconfirmed':
    case 'link-official':
    case 'genuine-unknown-order':
    case 'authenticated-blocked':
      return pc.bold(pc.yellow(`⚠ ${label}`));
    case 'legitimate':
    case 'security-notice':
      return pc.bold(pc.green(`✔ ${label}`));
    default:
      return pc.bold(`・${label}`);
  }
}

/** Evidence quotes the mail as it is; only the name of the part quoted (`subject:`, `body:`) is mamori's word. */
function evidenceText(ev: string, t: Translator): string {
  return ev.replace(
    /^(subject|body|pdf|rtf): /,
    (_, part: string) =>
      `${t.t(`label.${part === 'body' || part === 'pdf' || part === 'rtf' ? part : 'subject'}`)}: `,
  );
}

/**
 * What to do: at most three actions first, the most urgent first (`first`); where to report and what else comes
 * after the evidence (`then`). The report routes are the person's region's, not the mail's brand's.
 */
function routeText(x: ReportRoute, t: Translator, fallback: string): string {
  switch (x.kind) {
    case 'amazon':
      return t.t('todo.report-amazon');
    case 'card-company':
      return t.t('todo.report-card-company', { brand: x.brand });
    case 'brand':
      return t.t(x.uncertain ? 'todo.report-brand-uncertain' : 'todo.report-brand', {
        brand: x.brand,
        route: x.email ?? x.url ?? '',
      });
    case 'council':
      return fallback;
  }
}

function todoOf(
  r: CheckResult,
  t: Translator,
  region: Region,
  merchant: Merchant | null,
): { first: string[]; then: string[] } {
  const plan = r.suggestedSituations.join(',');
  const route = region === 'us' ? t.t('todo.report-us') : t.t('todo.report-council');
  // A brand other than Amazon: its own routes (and the card company for a card brand), then the council.
  const other = merchant !== null && !(merchant.family ?? merchant.id).startsWith('amazon');
  // Outside Japan the public route for another brand is the APWG's (the US Amazon route names Amazon's address).
  const otherRoute = region === 'us' ? t.t('todo.report-apwg') : route;
  const routes = reportRoutesFor(merchant, region).map((x) => routeText(x, t, other ? otherRoute : route));
  // The plan for another brand's fake mail names that brand (`mamori plan --brand`), not Amazon.
  const entered = other
    ? t.t('todo.entered-brand', { brand: merchant.name, id: merchant.id })
    : t.t('todo.entered');
  switch (r.headline.id) {
    case 'phishing':
      if (other)
        return {
          first: [
            t.t('todo.no-click'),
            entered,
            t.t(region === 'us' ? 'todo.report-named-us' : 'todo.report-named', { brand: merchant.name }),
          ],
          then: [t.t('todo.check-brand', { brand: merchant.name }), ...routes, t.t('todo.delete')],
        };
      return {
        first: [
          t.t('todo.no-click'),
          t.t('todo.entered'),
          t.t(region === 'us' ? 'todo.report-in-us' : 'todo.report'),
        ],
        then: [t.t('todo.check-amazon'), t.t('todo.report-amazon'), route, t.t('todo.delete')],
      };
    case 'suspicious':
    case 'authenticated-blocked':
      // Not known to be fake: look in the app first; report only what is not there.
      if (other)
        return {
          first: [t.t('todo.no-click'), t.t('todo.check-brand', { brand: merchant.name }), entered],
          then: [t.t('todo.not-there-brand', { brand: merchant.name }), ...routes],
        };
      return {
        first: [t.t('todo.no-click'), t.t('todo.check-app-first'), t.t('todo.entered')],
        then: [t.t(region === 'us' ? 'todo.not-there-us' : 'todo.not-there')],
      };
    case 'genuine-unknown-order':
      return {
        first: [t.t('todo.unknown-order.check', r.headline.params), t.t('todo.unknown-order.plan', { plan })],
        then: [],
      };
    case 'security-notice':
      return {
        first: [
          t.t('todo.notice.you'),
          t.t(r.noticeKind === 'account-changed' ? 'todo.notice.changed' : 'todo.notice.not-you', { plan }),
        ],
        then: [],
      };
    case 'legitimate':
      return { first: [t.t('todo.legitimate')], then: [] };
    // A link on its own: even a brand's own site is best reached by typing the address or opening the app.
    case 'link-official':
      return { first: [t.t('todo.link.type-address')], then: [] };
    case 'link-unconfirmed':
      return { first: [t.t('todo.link.no-open'), t.t('todo.link.type-address')], then: [] };
    case 'link-dangerous':
      return {
        first: [t.t('todo.link.no-open'), t.t('todo.link.entered')],
        then: [t.t('todo.report-amazon'), route],
      };
    default:
      return { first: [t.t('todo.unrelated')], then: [] };
  }
}

/**
 * One mail's verdict for a person: one sentence and at most three actions first; then which mail, the evidence
 * (rule ids only with `detail`), the links, and where to report.
 */
/**
 * A picture's check: it was read by OCR; the URLs, numbers and addresses as read, each with its confidence, for the
 * person to compare with the picture (a misread letter in a domain changes whose site it is).
 */
function renderPicture(p: NonNullable<CheckResult['picture']>, t: Translator): string[] {
  const out = [pc.yellow(`  ${t.t('pics.read-from-picture', { confidence: p.confidence })}`)];
  if (p.read.length) {
    out.push(`  ${t.t('pics.compare')}`);
    for (const r of p.read) {
      const text = r.kind === 'url' ? defang(safe(r.text)) : safe(r.text);
      const mark = r.uncertain ? pc.red(t.t('pics.uncertain')) : '';
      out.push(
        `    ・${t.t(`pics.kind.${r.kind}`)}: ${text}  ${pc.dim(t.t('pics.confidence', { confidence: r.confidence }))} ${mark}`.trimEnd(),
      );
    }
  }
  return out;
}

export function renderCheck(
  source: string,
  r: CheckResult,
  t: Translator,
  knowledge: Knowledge,
  region: Region = 'jp',
  opts: { detail?: boolean } = {},
): string {
  const lines: string[] = [];
  const head = headlineText(r, t);
  const merchant = knowledge.merchants.find((m) => m.id === r.brand) ?? null;
  const brand = merchant ? t.brandName(merchant) : '—';
  const todo = todoOf(r, t, region, merchant);
  lines.push(verdictLine(r, head.label));
  todo.first.slice(0, 3).forEach((s, i) => lines.push(`  ${i + 1}. ${s}`));

  // Mail text (and file names) never reach the terminal with control characters: an ESC in a Subject could
  // rewrite the screen or forge a verdict line.
  lines.push('', pc.dim(`━━ ${t.t('label.source')}: ${safe(source)}`));
  lines.push(`  ${t.t('label.score')} ${r.score}/100   ${t.t('label.brand')} ${brand}`);
  if (r.subject) lines.push(`  ${t.t('label.subject')}: ${safe(r.subject)}`);
  if (r.from) lines.push(`  ${t.t('label.from')}: ${safe(r.from)}`);
  if (r.picture) lines.push(...renderPicture(r.picture, t));
  else if (r.headerless) lines.push(pc.yellow(`  ${t.t('label.headerless')}`));
  lines.push(`  ${head.summary}`);

  const shown = r.findings.filter(
    (f) =>
      f.severity !== 'info' ||
      f.id === 'auth.aligned-pass' ||
      f.id === 'link.official' ||
      f.id.startsWith('input.') ||
      f.id.startsWith('order.'),
  );
  if (shown.length) {
    lines.push('', pc.bold(t.t('label.evidence')));
    for (const f of shown) {
      const { title, detail } = t.finding(f.id, f.params);
      const sev = SEVERITY_LABEL[f.severity]![t.lang];
      const color =
        f.severity === 'critical' || f.severity === 'high'
          ? pc.red
          : f.severity === 'medium'
            ? pc.yellow
            : pc.dim;
      lines.push(`  ${color(`[${sev}]`)} ${title}${opts.detail ? ` ${pc.dim(`(${f.id})`)}` : ''}`);
      if (detail) lines.push(`        ${detail}`);
      for (const ev of f.evidence.split('\n').slice(0, 3))
        lines.push(
          pc.dim(`        ▸ ${evidenceText(safe(ev), t).replace(/https?:\/\/\S+/gi, (u) => defang(u))}`),
        );
    }
  }

  const clickable = r.links.filter((l) => l.kind !== 'image');
  if (clickable.length) {
    lines.push('', pc.bold(t.t('label.links')));
    for (const l of clickable.slice(0, 10)) {
      const mark = l.own ? pc.green('✔') : pc.red('✖');
      // The shown text is often a URL too (the bait): defanged like the target, so neither is clickable.
      const shown =
        l.text && l.text !== l.target
          ? safe(l.text.slice(0, 40)).replace(/(?:https?|www\.)\S*/gi, (u) => defang(u))
          : '';
      const text = shown ? `「${shown}」 → ` : '';
      lines.push(
        `  ${mark} ${text}${defang(safe(l.target.slice(0, 120)))}  ${pc.dim(safe(l.domain ?? ''))} ${l.own ? pc.green(t.t('label.own')) : pc.red(t.t('label.foreign'))}`,
      );
    }
    if (clickable.length > 10) lines.push(pc.dim(`  … +${clickable.length - 10}`));
  }

  const then = [...todo.first.slice(3), ...todo.then];
  if (then.length) {
    lines.push('', pc.bold(t.t('label.report')));
    for (const s of then) lines.push(`  ・${s}`);
  }
  return lines.join('\n');
}
