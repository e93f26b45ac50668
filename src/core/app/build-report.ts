import type { Knowledge } from '#core/knowledge/compile.ts';
import type { Clock } from '#core/ports/clock.ts';
import type { Store } from '#core/ports/store.ts';
import { supersedePasted } from '#core/ledger/pasted/records.ts';
import { buildReportDoc } from '#core/report/documents.ts';
import {
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

/**
 * The report of a stored case for one reader; `null` when there is no such case. The case's orders are read
 * from the stored export (ship-to names and addresses, gift recipients, items), through `supersedePasted`
 * so an order pasted from Amazon's pages and also exported is listed once, with the export's item names.
 */
export async function buildReport(
  store: Store,
  caseId: string,
  o: { audience: Audience; format: ReportFormat },
  deps: { knowledge: Knowledge; text: Text; lang: 'ja' | 'en'; clock: Clock },
): Promise<BuiltReport | null> {
  const c = await store.getCase(caseId);
  if (!c) return null;
  if (o.format === 'csv') return { format: 'csv', text: disputedChargesCsv(c, deps.text) };
  const ids = new Set(c.charges.flatMap((x) => x.orderIds));
  const lines = ids.size ? supersedePasted(await store.load()).lines.filter((l) => ids.has(l.orderId)) : [];
  const doc = buildReportDoc(
    {
      case: c,
      events: await store.events(c.id),
      plan: planFor(c, deps.knowledge, deps.lang).plan,
      lines,
      today: deps.clock.today(),
    },
    o.audience,
    deps.text,
    deps.lang,
  );
  if (o.format === 'md') return { format: 'md', text: renderMarkdown(doc) };
  if (o.format === 'html') return { format: 'html', text: renderHtml(doc) };
  return { format: 'pdf', doc };
}
