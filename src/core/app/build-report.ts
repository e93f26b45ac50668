import type { Knowledge } from '#core/knowledge/compile.ts';
import type { Clock } from '#core/ports/clock.ts';
import type { Store } from '#core/ports/store.ts';
import {
  buildReport as buildReportDoc,
  disputedChargesCsv,
  renderHtml,
  renderMarkdown,
  type Audience,
  type ReportDoc,
  type Text,
} from '#core/report/report.ts';
import { planFor } from './plan-for.ts';

export const reportFormats = ['pdf', 'html', 'md', 'csv'] as const;
export type ReportFormat = (typeof reportFormats)[number];

/** A report ready to write: text (Markdown, HTML, CSV), or the document for the PDF adapter to typeset. */
export type BuiltReport = { format: 'md' | 'html' | 'csv'; text: string } | { format: 'pdf'; doc: ReportDoc };

/** The report of a stored case for one audience; `null` when there is no such case. */
export async function buildReport(
  store: Store,
  caseId: string,
  o: { audience: Audience; format: ReportFormat },
  deps: { knowledge: Knowledge; text: Text; lang: 'ja' | 'en'; clock: Clock },
): Promise<BuiltReport | null> {
  const c = await store.getCase(caseId);
  if (!c) return null;
  if (o.format === 'csv') return { format: 'csv', text: disputedChargesCsv(c, deps.text) };
  const doc = buildReportDoc(
    c,
    await store.events(c.id),
    planFor(c, deps.knowledge, deps.lang).plan,
    o.audience,
    deps.text,
    deps.lang,
    deps.clock.today(),
  );
  if (o.format === 'md') return { format: 'md', text: renderMarkdown(doc) };
  if (o.format === 'html') return { format: 'html', text: renderHtml(doc) };
  return { format: 'pdf', doc };
}
