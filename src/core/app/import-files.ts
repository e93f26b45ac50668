import type { LedgerKnowledge } from '#core/knowledge/compile.ts';
import type { StatementLayout } from '#core/knowledge/schema.ts';
import { amazonRowMapper, identifyAmazonFile } from '#core/ledger/amazon-export.ts';
import { parseStatement } from '#core/ledger/statements.ts';
import type { ImportProblem, Storefront } from '#core/ledger/types.ts';
import type { ImportSource, SourceFailure } from '#core/ports/import-source.ts';
import type { RecordSink, Store } from '#core/ports/store.ts';

/** What one file (or zip entry) gave. `kind` is an Amazon file kind, `statement:<layout>` or `unknown`. */
export interface FileReport {
  file: string;
  kind: string;
  rows: number;
  problems: ImportProblem[];
  /** Read with columns guessed from their content (no known layout fitted): the `--map` that was used. */
  guessed?: string;
}

export interface ImportOptions {
  knowledge: LedgerKnowledge;
  /** A `--map` layout for statements in an unknown layout. */
  mapping?: StatementLayout;
  storefront?: Storefront;
  onProgress?: (file: string, rows: number) => void;
}

const MAX_ROW_PROBLEMS = 50;
const STATEMENT_EXT = new Set(['.csv', '.ofx', '.qfx', '.txt', '.tsv']);
const IMAGE_EXT = new Set(['.png', '.jpg', '.jpeg', '.gif', '.webp', '.heic', '.heif']);

const baseName = (p: string) => p.split(/[\\/!]/).pop() ?? p;
function extension(p: string): string {
  const name = baseName(p);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
}

/** A thrown value of the ImportSource port's failure shape. */
export function isSourceFailure(e: unknown): e is SourceFailure {
  return (
    typeof e === 'object' &&
    e !== null &&
    'problem' in e &&
    typeof (e as SourceFailure).problem === 'object' &&
    typeof (e as SourceFailure).problem?.code === 'string'
  );
}

/**
 * Classifies every entry of a source, maps its rows and sends the records to the sink. A source that holds
 * nothing importable is a problem (the caller keeps nothing of it); row-level and per-entry problems are
 * reported. Read failures of the source are thrown as SourceFailure values.
 */
export async function importEntries(
  source: ImportSource,
  sink: RecordSink,
  opts: ImportOptions,
): Promise<{ reports: FileReport[]; problem?: ImportProblem }> {
  const reports: FileReport[] = [];
  const entries = await source.entries();
  const hint = opts.storefront ?? 'amazon-jp';
  const single = entries.length === 1;
  for (const e of entries) {
    const ext = extension(e.path);
    // A statement saved as PDF or photographed, given on its own: say what to download instead.
    if (single && ext === '.pdf') return { reports, problem: { code: 'pdf', file: e.path } };
    if (single && IMAGE_EXT.has(ext)) return { reports, problem: { code: 'image', file: e.path } };
    if (!STATEMENT_EXT.has(ext) && !(ext === '' && single)) continue;
    if (e.size === 0) {
      if (single) return { reports, problem: { code: 'empty', file: e.path } };
      continue;
    }
    let header: string[] | null = null;
    if (ext === '.csv') {
      for await (const row of e.rows()) {
        header = row;
        break;
      }
    }
    const kind = header ? identifyAmazonFile(e.path, header) : null;
    if (kind && header) {
      const map = amazonRowMapper(kind, header, e.path, hint, opts.knowledge.merchants);
      const report: FileReport = { file: e.path, kind, rows: 0, problems: [] };
      let rowNo = 0;
      for await (const row of e.rows()) {
        rowNo++;
        if (rowNo === 1) continue;
        const r = map(row, rowNo);
        if (r.problem) {
          if (report.problems.length < MAX_ROW_PROBLEMS) report.problems.push(r.problem);
          continue;
        }
        for (const l of r.lines ?? []) sink.line(l);
        for (const p of r.payments ?? []) sink.payment(p);
        for (const x of r.refunds ?? []) sink.refund(x);
        report.rows++;
        if (report.rows % 5000 === 0) opts.onProgress?.(e.path, report.rows);
      }
      if (rowNo <= 1) report.problems.push({ code: 'header-only', file: e.path });
      reports.push(report);
      continue;
    }
    // Other files of an Amazon export (addresses, wish lists …) are not statements.
    if (!single && e.path.includes('!') && !/statement|明細|card|カード/i.test(baseName(e.path))) continue;
    // Amazon CSVs can be 100 MB and are streamed above; a statement is read whole, up to this size.
    const maxStatement = opts.knowledge.reconcile.importLimits.maxStatementBytes;
    if (e.size > maxStatement) return { reports, problem: { code: 'too-large', file: e.path } };
    const result = parseStatement(
      await e.bytes(maxStatement),
      e.path,
      opts.knowledge.statements,
      opts.mapping,
      opts.knowledge.reconcile.importLimits.maxRaggedRows,
    );
    if (result.charges.length === 0 && result.problems[0]) {
      if (single) return { reports, problem: result.problems[0] };
      reports.push({ file: e.path, kind: 'unknown', rows: 0, problems: result.problems });
      continue;
    }
    for (const c of result.charges) sink.charge(c);
    reports.push({
      file: e.path,
      kind: `statement:${result.layout}`,
      rows: result.charges.length,
      problems: result.problems,
      ...(result.guessed ? { guessed: result.guessed } : {}),
    });
  }
  const skipped = source.skipped ?? [];
  if (reports.length === 0 || reports.every((r) => r.rows === 0))
    return {
      reports,
      problem: reports.flatMap((r) => r.problems)[0] ??
        skipped[0] ?? {
          code: 'no-rows',
          file: source.label,
        },
    };
  if (skipped.length)
    reports.push({
      file: source.label,
      kind: 'skipped',
      rows: 0,
      problems: [...skipped].slice(0, MAX_ROW_PROBLEMS),
    });
  return { reports };
}

/** One path given to `import` (or to `reconcile --orders/--statement`). */
export interface ImportInput {
  file: string;
  source: ImportSource;
  /** A `--map` layout for this input's statements. */
  mapping?: StatementLayout;
}

/** What became of one input: stored (with what each of its files gave), or a problem and nothing stored. */
export type FileOutcome =
  | { file: string; ok: true; added: number; unchanged: number; reports: FileReport[] }
  | { file: string; ok: false; problem: ImportProblem };

export interface ImportDeps {
  knowledge: LedgerKnowledge;
  storefront?: Storefront;
  onProgress?: (file: string, rows: number) => void;
  /** Told when an input is done, so a long command can show each result as it comes. */
  onOutcome?: (o: FileOutcome) => void;
}

class Abort {
  constructor(readonly problem: ImportProblem) {}
}

/**
 * Imports each input as one all-or-nothing unit of the store. A damaged input is a problem value (its file,
 * code and detail) and nothing of it is stored; the other inputs are still imported.
 */
export async function importFiles(
  store: Store,
  inputs: Iterable<ImportInput>,
  deps: ImportDeps,
): Promise<FileOutcome[]> {
  const outcomes: FileOutcome[] = [];
  for (const input of inputs) {
    let reports: FileReport[] = [];
    let outcome: FileOutcome;
    try {
      const { added, unchanged } = await store.importFile(input.file, 'auto', async (sink) => {
        const r = await importEntries(input.source, sink, {
          knowledge: deps.knowledge,
          mapping: input.mapping,
          storefront: deps.storefront,
          onProgress: deps.onProgress,
        });
        if (r.problem) throw new Abort(r.problem);
        reports = r.reports;
      });
      outcome = { file: input.file, ok: true, added, unchanged, reports };
    } catch (err) {
      if (err instanceof Abort || isSourceFailure(err))
        outcome = { file: input.file, ok: false, problem: err.problem };
      else throw err;
    } finally {
      input.source.close?.();
    }
    outcomes.push(outcome);
    deps.onOutcome?.(outcome);
  }
  return outcomes;
}
