import pc from 'picocolors';
import type { CheckResult } from '#core/check/index.ts';
import { plainText as safe } from '#core/report/report.ts';
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

export function renderCheck(source: string, r: CheckResult, t: Translator, knowledge: Knowledge): string {
  const lines: string[] = [];
  const brand = knowledge.merchants.find((m) => m.id === r.brand)?.name ?? '—';
  // Mail text (and file names) never reach the terminal with control characters: an ESC in a Subject could
  // rewrite the screen or forge a verdict line.
  lines.push(pc.dim(`━━ ${safe(source)}`));
  lines.push(`${verdictLine(r, t)}   ${t.t('label.score')} ${r.score}/100   ${t.t('label.brand')} ${brand}`);
  if (r.subject) lines.push(`  ${t.t('label.subject')}: ${safe(r.subject)}`);
  if (r.from) lines.push(`  ${t.t('label.from')}: ${safe(r.from)}`);
  if (r.headerless) lines.push(pc.yellow(`  ${t.t('label.headerless')}`));
  lines.push(t.t(`summary.${r.verdict}`));

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
      lines.push(`  ${color(`[${sev}]`)} ${title} ${pc.dim(`(${f.id})`)}`);
      if (detail) lines.push(`        ${detail}`);
      for (const ev of f.evidence.split('\n').slice(0, 3))
        lines.push(pc.dim(`        ▸ ${safe(ev).replace(/https?:\/\/\S+/gi, (u) => defang(u))}`));
    }
  }

  const clickable = r.links.filter((l) => l.kind !== 'image');
  if (clickable.length) {
    lines.push('', pc.bold(t.t('label.links')));
    for (const l of clickable.slice(0, 10)) {
      const mark = l.own ? pc.green('✔') : pc.red('✖');
      const text = l.text && l.text !== l.target ? `「${safe(l.text.slice(0, 40))}」 → ` : '';
      lines.push(
        `  ${mark} ${text}${defang(safe(l.target.slice(0, 120)))}  ${pc.dim(safe(l.domain ?? ''))} ${l.own ? pc.green(t.t('label.own')) : pc.red(t.t('label.foreign'))}`,
      );
    }
    if (clickable.length > 10) lines.push(pc.dim(`  … +${clickable.length - 10}`));
  }

  lines.push('', pc.bold(t.t('label.todo')));
  const todo: string[] = [];
  if (r.verdict === 'phishing' || r.verdict === 'suspicious') {
    todo.push(t.t('todo.no-click'), t.t('todo.check-amazon'), t.t('todo.report-amazon'));
    const region = knowledge.merchants.find((m) => m.id === r.brand)?.region;
    todo.push(region === 'us' ? t.t('todo.report-us') : t.t('todo.report-council'));
    todo.push(t.t('todo.entered'), t.t('todo.delete'));
  } else if (r.verdict === 'legitimate') todo.push(t.t('todo.legitimate'));
  else todo.push(t.t('todo.unrelated'));
  todo.forEach((s, i) => lines.push(`  ${i + 1}. ${s}`));
  return lines.join('\n');
}
