import type { LedgerKnowledge } from '#core/knowledge/compile.ts';
import { readPaste, type PageKind, type PasteReading } from '#core/ledger/pasted/extract.ts';
import { pastedFile, pastedRecords, type PastedRecords } from '#core/ledger/pasted/records.ts';
import { MAX_PASTE_CHARS, pageText, type PageFormat } from '#core/ledger/pasted/text.ts';
import { parseStatement } from '#core/ledger/statements.ts';
import type { ImportCount, Store } from '#core/ports/store.ts';

/**
 * What Amazon shows on screen, pasted or saved, in two steps: `previewPasted` reads it and stores nothing (the
 * person sees what was read), `commitPasted` stores what the preview read once the person confirms. The CLI
 * asks on the terminal (or takes `--yes`); a page shows the preview and a button. Neither step logs or throws
 * the paste's text: it may hold the person's name and address.
 */
export type PastePreview =
  | {
      kind: 'paste';
      format: PageFormat;
      page: PageKind;
      at: string;
      reading: PasteReading;
      records: PastedRecords;
    }
  /** A card statement (CSV or OFX) given here by mistake: the statement importer takes it. */
  | { kind: 'statement'; format: PageFormat; layout: string | null }
  /** No order data: what was expected and how to copy the page (the reading says which language it was in). */
  | { kind: 'nothing'; format: PageFormat; language: 'ja' | 'en' | null }
  | { kind: 'empty'; format: PageFormat }
  | { kind: 'too-large'; format: PageFormat };

export interface PreviewOptions {
  knowledge: LedgerKnowledge;
  /** The file's name, a hint for the format (a `.html`, `.mhtml` or `.txt`); the bytes decide. */
  name?: string;
  /** When the preview is made (the Clock's `now`): the stored rows' source time. */
  at: string;
}

/** Most lines are rows of three or more cells (commas or tabs): a table, not a page's text. */
function csvShaped(text: string): boolean {
  const lines = text.split(/\r?\n/).filter((l) => l.trim());
  if (lines.length < 3) return false;
  const rows = lines.filter((l) => l.split(/[,\t]/).length >= 3).length;
  return rows >= lines.length * 0.6;
}

export async function previewPasted(bytes: Uint8Array, opts: PreviewOptions): Promise<PastePreview> {
  const limits = opts.knowledge.reconcile.importLimits;
  const maxBytes = Math.max(limits.maxStatementBytes, MAX_PASTE_CHARS * 4);
  if (bytes.length > maxBytes) return { kind: 'too-large', format: 'text' };
  const { format, text } = await pageText(bytes, opts.name);
  if (!text.trim()) return { kind: 'empty', format };
  if (text.length > MAX_PASTE_CHARS) return { kind: 'too-large', format };
  const reading = readPaste(text);
  if (reading.page && (reading.charges.length || reading.orders.length))
    return {
      kind: 'paste',
      format,
      page: reading.page,
      at: opts.at,
      reading,
      records: pastedRecords(reading, opts.at),
    };
  if (format === 'text') {
    // Not a page of orders: a card statement pasted or saved as text goes to the statement importer.
    const statement = parseStatement(
      bytes,
      opts.name ?? 'pasted.txt',
      opts.knowledge.statements,
      undefined,
      limits.maxRaggedRows,
    );
    if (statement.charges.length > 0) return { kind: 'statement', format, layout: statement.layout };
    // Rows of cells that no layout fits: the statement importer says which columns to map (`--map`).
    if (csvShaped(text)) return { kind: 'statement', format, layout: null };
  }
  return { kind: 'nothing', format, language: reading.language };
}

/** Stores what a preview read: one all-or-nothing import whose source is `pasted:<page>:<time>`. */
export async function commitPasted(
  store: Store,
  preview: Extract<PastePreview, { kind: 'paste' }>,
): Promise<ImportCount> {
  const r = preview.records;
  return store.importFile(pastedFile(preview.page, preview.at), `pasted:${preview.page}`, async (sink) => {
    for (const l of r.lines) sink.line(l);
    for (const p of r.payments) sink.payment(p);
    for (const x of r.refunds) sink.refund(x);
  });
}
