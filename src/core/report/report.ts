import type { CaseEvent, CaseRecord } from '#core/case/case.ts';
import type { Plan } from '#core/plan/plan.ts';

export const audiences = ['amazon', 'card', 'police', 'consumer-centre'] as const;
export type Audience = (typeof audiences)[number];

export interface Section {
  heading: string;
  paragraphs?: string[];
  items?: string[];
  table?: { columns: string[]; rows: string[][] };
}

export interface ReportDoc {
  lang: 'ja' | 'en';
  title: string;
  subtitle: string;
  sections: Section[];
}

export type Text = (key: string, params?: Record<string, unknown>) => string;

/** Links are never live in a report: shown as text and defanged. */
export function defangUrl(url: string): string {
  return url.replace(/^http/i, 'hxxp').replace(/\./g, '[.]');
}

/**
 * Control characters, terminal escape sequences and bidirectional overrides, which mail text may carry to rewrite
 * a terminal line or reorder what a reader sees. Tab and newline are kept only where `multiline` says so.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_WITH_LINES = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Mail-derived text made safe to print: every control character (ESC included) becomes U+FFFD. */
export function plainText(s: string, multiline = false): string {
  return s.replace(multiline ? CONTROL : CONTROL_WITH_LINES, (c) =>
    c === '\t' || c === '\n' || c === '\r' ? ' ' : '\uFFFD',
  );
}

/** Mail text in a report: no live link (URLs defanged, `www.` broken) and no control characters. */
function mailText(s: string): string {
  return plainText(s)
    .replace(/https?:\/\/\S+/gi, defangUrl)
    .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}[.]`);
}

const money = (amount: number, currency: string) =>
  currency === 'JPY' ? `¥${amount.toLocaleString('ja-JP')}` : `$${amount.toFixed(2)}`;

/** The report as a document (headings, paragraphs, tables): the same content for Markdown, HTML and PDF. */
export function buildReport(
  c: CaseRecord,
  events: readonly CaseEvent[],
  plan: Plan,
  audience: Audience,
  t: Text,
  lang: 'ja' | 'en',
  today: string,
): ReportDoc {
  const totals = new Map<string, number>();
  for (const ch of c.charges) totals.set(ch.currency, (totals.get(ch.currency) ?? 0) + ch.amount);
  const total = [...totals].map(([cur, v]) => money(v, cur)).join(' + ') || '—';
  const sections: Section[] = [];
  sections.push({
    heading: t('report.summary'),
    items: [
      `${t('report.case')}: ${c.id}`,
      `${t('report.name')}: ${c.contact.name ?? '—'}`,
      `${t('report.contact')}: ${[c.contact.phone, c.contact.email].filter(Boolean).join(' / ') || '—'}`,
      `${t('report.situations')}: ${c.situations.map((s) => t(`situation.${s}`)).join('、')}`,
      `${t('report.noticed')}: ${c.noticed}`,
      `${t('report.total')}: ${total} (${c.charges.length})`,
    ],
    paragraphs: [t(`report.request.${audience}`)],
  });
  const timeline = [
    { at: c.noticed, kind: 'noticed', note: '' },
    ...events.filter((e) => e.kind !== 'noticed' || e.at !== c.noticed),
  ].sort((a, b) => a.at.localeCompare(b.at));
  sections.push({
    heading: t('report.timeline'),
    table: {
      columns: [t('report.col.date'), t('report.col.event'), t('report.col.note')],
      rows: timeline.map((e) => [e.at.slice(0, 16).replace('T', ' '), t(`event.${e.kind}`), e.note ?? '']),
    },
  });
  sections.push({
    heading: t('report.charges'),
    ...(c.charges.length
      ? {
          table: {
            columns: [
              t('report.col.date'),
              t('report.col.merchant'),
              t('report.col.amount'),
              t('report.col.order'),
              t('report.col.why'),
            ],
            rows: c.charges.map((x) => [
              x.date,
              x.description,
              money(x.amount, x.currency),
              x.orderIds.join(', ') || '—',
              x.reasons.map((r) => t(`reason.${r}`)).join('; '),
            ]),
          },
        }
      : { paragraphs: [t('report.no-charges')] }),
  });
  if (c.mails.length) {
    sections.push({
      heading: t('report.mails'),
      items: c.mails.flatMap((m) => [
        `${t('report.mail.subject')}: ${mailText(m.subject) || '—'} (${t(`verdict.${m.verdict}`)})`,
        `${t('report.mail.from')}: ${m.from ? mailText(m.from) : '—'}`,
        `${t('report.mail.auth')}: ${m.auth}`,
        ...m.links
          .filter((l) => !l.own)
          .slice(0, 5)
          .map(
            (l) =>
              `${t('report.mail.link')}: ${defangUrl(l.target)}${l.text && l.text !== l.target ? ` (${t('report.mail.shown')} ${defangUrl(l.text)})` : ''}`,
          ),
        ...m.findings
          .slice(0, 6)
          .map((f) => `  · ${f.id}: ${mailText(f.evidence.split('\n')[0]!).slice(0, 160)}`),
      ]),
      paragraphs: [t('report.links-note')],
    });
  }
  sections.push({
    heading: t('report.steps'),
    table: {
      columns: [t('report.col.step'), t('report.col.who'), t('report.col.status'), t('report.col.deadline')],
      rows: plan.steps.map((s) => [
        s.title,
        t(`who.${s.who}`),
        t(`status.${c.steps[s.id]?.status ?? 'todo'}`) +
          (c.steps[s.id]?.note ? ` (${c.steps[s.id]!.note})` : ''),
        s.deadline ?? '—',
      ]),
    },
  });
  const contactWho = new Set(
    audience === 'card'
      ? ['card-issuer', 'bank']
      : audience === 'amazon'
        ? ['amazon']
        : audience === 'police'
          ? ['police']
          : ['consumer-hotline', 'legal-aid', 'card-issuer', 'amazon', 'police'],
  );
  sections.push({
    heading: t('report.contacts'),
    items: plan.steps
      .filter((s) => contactWho.has(s.who) || audience === 'consumer-centre')
      .map((s) => `${t(`who.${s.who}`)}: ${s.how}${s.uncertain ? ` ${t('report.uncertain')}` : ''}`),
  });
  sections.push({
    heading: t('report.notes'),
    paragraphs: [t('report.made-by', { date: today }), t('report.uncertain-note')],
  });
  return { lang, title: t(`report.title.${audience}`), subtitle: `${c.title} — ${c.id}`, sections };
}

/**
 * Text as Markdown shows it literally: HTML-significant characters become entities (a subject
 * `<img src=x onerror=…>` stays text in every renderer), inline syntax is backslash-escaped, and a line that
 * would start a heading, quote or list does not. One line: a newline inside a value never starts a new block.
 */
export function markdownText(s: string): string {
  return plainText(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~]/g, '\\$&')
    .replace(/^(\s*)([#+=-]|\d+[.)])/, '$1\\$2');
}

export function renderMarkdown(doc: ReportDoc): string {
  const md = markdownText;
  const out = [`# ${md(doc.title)}`, '', md(doc.subtitle), ''];
  for (const s of doc.sections) {
    out.push(`## ${md(s.heading)}`, '');
    for (const i of s.items ?? []) out.push(`- ${md(i)}`);
    if (s.items?.length) out.push('');
    if (s.table) {
      out.push(
        `| ${s.table.columns.map(md).join(' | ')} |`,
        `|${s.table.columns.map(() => '---').join('|')}|`,
      );
      for (const r of s.table.rows) out.push(`| ${r.map(md).join(' | ')} |`);
      out.push('');
    }
    for (const p of s.paragraphs ?? []) out.push(md(p), '');
  }
  return out.join('\n');
}

const esc = (s: string) =>
  plainText(s, true)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

export function renderHtml(doc: ReportDoc): string {
  const body = doc.sections
    .map((s) => {
      const items = s.items?.length ? `<ul>${s.items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>` : '';
      const table = s.table
        ? `<table><thead><tr>${s.table.columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>${s.table.rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`
        : '';
      const paras = (s.paragraphs ?? []).map((p) => `<p>${esc(p)}</p>`).join('');
      return `<section><h2>${esc(s.heading)}</h2>${items}${table}${paras}</section>`;
    })
    .join('\n');
  // No scripts, no external resources, no live links: the file is safe to open and to forward.
  return `<!doctype html>\n<html lang="${doc.lang}"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>${esc(doc.title)}</title><style>body{font-family:"Noto Sans CJK JP","Hiragino Sans","Yu Gothic",sans-serif;max-width:60em;margin:2em auto;line-height:1.6}table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;padding:.3em .5em;text-align:left;vertical-align:top}th{background:#eee}</style></head><body><h1>${esc(doc.title)}</h1><p>${esc(doc.subtitle)}</p>\n${body}\n</body></html>\n`;
}

/** A cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR) is prefixed with an apostrophe. */
export function csvCell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function disputedChargesCsv(c: CaseRecord, t: Text): string {
  const head = [
    t('report.col.date'),
    t('report.col.merchant'),
    t('report.col.amount'),
    'currency',
    t('report.col.order'),
    t('report.col.why'),
  ];
  const rows = c.charges.map((x) => [
    x.date,
    x.description,
    String(x.amount),
    x.currency,
    x.orderIds.join(' '),
    x.reasons.map((r) => t(`reason.${r}`)).join('; '),
  ]);
  return '\uFEFF' + [head, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
