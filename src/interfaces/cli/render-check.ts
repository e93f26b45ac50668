import pc from 'picocolors';
import type { CheckResult } from '#core/check/index.ts';
import type { Knowledge } from '#core/knowledge/compile.ts';
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

function verdictLine(r: CheckResult, t: Translator): string {
  const label = t.t(`verdict.${r.verdict}`);
  switch (r.verdict) {
    case 'phishing':
      return pc.bold(pc.red(`✖ ${label}`));
    case 'suspicious':
      return pc.bold(pc.yellow(`⚠ ${label}`));
    case 'legitimate':
      return pc.bold(pc.green(`✔ ${label}`));
    default:
      return pc.bold(`・${label}`);
  }
}

/** Evidence quotes the mail as it is; only the name of the part quoted (`subject:`, `body:`) is mamori's word. */
function evidenceText(ev: string, t: Translator): string {
  return ev.replace(
    /^(subject|body): /,
    (_, part: string) => `${t.t(`label.${part === 'body' ? 'body' : 'subject'}`)}: `,
  );
}

/**
 * What to do first: at most three actions, the most urgent first. Where to report comes after the evidence
 * (`reportTo`), so the first lines stay short.
 */
function actions(r: CheckResult, t: Translator): string[] {
  if (r.verdict === 'phishing') return [t.t('todo.no-click'), t.t('todo.entered'), t.t('todo.report')];
  if (r.verdict === 'suspicious')
    return [t.t('todo.no-click'), t.t('todo.check-amazon'), t.t('todo.entered')];
  if (r.verdict === 'legitimate') return [t.t('todo.legitimate')];
  return [t.t('todo.unrelated')];
}

function reportTo(r: CheckResult, t: Translator, knowledge: Knowledge): string[] {
  if (r.verdict !== 'phishing' && r.verdict !== 'suspicious') return [];
  const region = knowledge.merchants.find((m) => m.id === r.brand)?.region;
  return [
    t.t('todo.report-amazon'),
    region === 'us' ? t.t('todo.report-us') : t.t('todo.report-council'),
    t.t('todo.delete'),
  ];
}

/**
 * One mail's verdict for a person: one sentence and at most three actions first; then which mail, the evidence
 * (rule ids only with `detail`), the links, and where to report.
 */
export function renderCheck(
  source: string,
  r: CheckResult,
  t: Translator,
  knowledge: Knowledge,
  opts: { detail?: boolean } = {},
): string {
  const lines: string[] = [];
  const brand = knowledge.merchants.find((m) => m.id === r.brand)?.name ?? '—';
  lines.push(verdictLine(r, t));
  actions(r, t).forEach((s, i) => lines.push(`  ${i + 1}. ${s}`));

  lines.push('', pc.dim(`━━ ${t.t('label.source')}: ${source}`));
  lines.push(`  ${t.t('label.score')} ${r.score}/100   ${t.t('label.brand')} ${brand}`);
  if (r.subject) lines.push(`  ${t.t('label.subject')}: ${r.subject}`);
  if (r.from) lines.push(`  ${t.t('label.from')}: ${r.from}`);
  if (r.headerless) lines.push(pc.yellow(`  ${t.t('label.headerless')}`));
  lines.push(`  ${t.t(`summary.${r.verdict}`)}`);

  const shown = r.findings.filter(
    (f) =>
      f.severity !== 'info' ||
      f.id === 'auth.aligned-pass' ||
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
        lines.push(pc.dim(`        ▸ ${evidenceText(ev, t).replace(/https?:\/\/\S+/gi, (u) => defang(u))}`));
    }
  }

  const clickable = r.links.filter((l) => l.kind !== 'image');
  if (clickable.length) {
    lines.push('', pc.bold(t.t('label.links')));
    for (const l of clickable.slice(0, 10)) {
      const mark = l.own ? pc.green('✔') : pc.red('✖');
      const text = l.text && l.text !== l.target ? `「${l.text.slice(0, 40)}」 → ` : '';
      lines.push(
        `  ${mark} ${text}${defang(l.target.slice(0, 120))}  ${pc.dim(l.domain ?? '')} ${l.own ? pc.green(t.t('label.own')) : pc.red(t.t('label.foreign'))}`,
      );
    }
    if (clickable.length > 10) lines.push(pc.dim(`  … +${clickable.length - 10}`));
  }

  const report = reportTo(r, t, knowledge);
  if (report.length) {
    lines.push('', pc.bold(t.t('label.report')));
    for (const s of report) lines.push(`  ・${s}`);
  }
  return lines.join('\n');
}
