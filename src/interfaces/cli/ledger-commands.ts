import pc from 'picocolors';
import { pathImportSource } from '#adapters/import/path-source.ts';
import { importFiles, type FileOutcome, type FileReport } from '#core/app/import-files.ts';
import { reconcileStored } from '#core/app/reconcile-stored.ts';
import type { Knowledge } from '#core/knowledge/compile.ts';
import type { StatementLayout } from '#core/knowledge/schema.ts';
import type { ImportProblem } from '#core/ledger/types.ts';
import type { Store } from '#core/ports/store.ts';
import { MemoryStore } from '#core/store/memory-store.ts';
import { chargeCategories, type ExplainedCharge, type ReconcileResult } from '#core/reconcile/reconcile.ts';
import type { Translator } from '#interfaces/i18n.ts';
import type { Io } from './check-command.ts';
import { readProblemText } from './messages.ts';

/**
 * How a file is named to people: the file's own name, never the path inside a zip (`export.zip!Your Orders/…`
 * shows as `Order History.csv（export.zip の中）`).
 */
export function fileName(t: Translator, file: string): string {
  const bang = file.indexOf('!');
  if (bang < 0) return file;
  const outer = file.slice(0, bang).split(/[\\/]/).pop() ?? file;
  const inner = file.split(/[\\/!]/).pop() ?? file;
  return t.t('import.in-zip', { name: inner, zip: outer });
}

/** A statement layout by its name in the person's language (data/messages `layout.<id>`), never its id. */
export function layoutName(t: Translator, id: string): string {
  const name = t.t(`layout.${id}`);
  return name.startsWith('[') ? id : name;
}

export function problemText(t: Translator, p: ImportProblem): string {
  const file = fileName(t, p.file);
  // A file the system would not let us read: its reason, and what to do, in the person's language.
  if (p.code === 'unreadable' && p.detail && /^E[A-Z]+$/.test(p.detail)) {
    const fs = readProblemText(t, p.detail, p.file);
    if (fs) return fs;
  }
  return t.t(`import.${p.code}`, {
    file,
    row: p.row ?? '',
    detail: p.detail ?? '',
    columns: (p.columns ?? []).join(', '),
    recognised: (p.recognised ?? []).join(', ') || '—',
    candidates: (p.candidates ?? []).map((id) => layoutName(t, id)).join(t.t('list.separator')),
    map:
      p.recognised && p.recognised.length >= 3
        ? p.recognised.join(',')
        : 'date=利用日,description=利用店名,amount=利用金額',
  });
}

function reportLine(t: Translator, r: FileReport): string {
  const kind = r.kind.startsWith('statement:')
    ? t.t('import.kind.statement', { layout: layoutName(t, r.kind.slice(10)) })
    : t.t(`import.kind.${r.kind}`);
  return `  ${fileName(t, r.file)}: ${kind}${t.t('list.separator')}${t.t('import.rows', { rows: r.rows })}${r.problems.length ? pc.yellow(` (${t.t('import.row-problems', { count: r.problems.length })})`) : ''}`;
}

/**
 * Imports each file as one all-or-nothing unit; a damaged file is reported (nothing of it stored) and the others
 * are still imported. Returns 1 if any file could not be imported.
 */
export async function runImport(
  store: Store,
  files: string[],
  knowledge: Knowledge,
  t: Translator,
  io: Io,
  mapping?: StatementLayout,
  quiet = false,
): Promise<number> {
  const progress =
    process.stderr.isTTY && !quiet
      ? (f: string, rows: number) =>
          process.stderr.write(`\r  ${t.t('import.progress', { rows })} ${fileName(t, f).slice(-50)}   `)
      : undefined;
  const show = (o: FileOutcome) => {
    if (progress) process.stderr.write('\r\x1b[K');
    if (!o.ok) {
      io.err(problemText(t, o.problem));
      io.err(t.t('import.nothing-stored', { file: fileName(t, o.file) }));
      return;
    }
    // Columns guessed for an unknown layout are always said, with the exact --map to correct them.
    const guessed = (r: FileReport) =>
      r.guessed ? t.t('import.guessed', { file: fileName(t, r.file), map: r.guessed }) : null;
    if (quiet) {
      for (const g of o.reports.map(guessed)) if (g) io.err(g);
      return;
    }
    io.out(t.t('import.done', { file: fileName(t, o.file), added: o.added, unchanged: o.unchanged }));
    // A source's skipped files (pipes, links out of the folder) are listed as problems below, not as a file read.
    for (const r of o.reports.filter((x) => x.kind !== 'skipped')) {
      io.out(reportLine(t, r));
      const g = guessed(r);
      if (g) io.out(pc.yellow(`  ${g}`));
    }
    for (const p of o.reports.flatMap((r) => r.problems).slice(0, 5)) io.err('  ' + problemText(t, p));
  };
  const outcomes = await importFiles(
    store,
    files.map((file) => ({
      file,
      source: pathImportSource(file, knowledge.reconcile.importLimits),
      mapping,
    })),
    { knowledge, onProgress: progress, onOutcome: show },
  );
  return outcomes.some((o) => !o.ok) ? 1 : 0;
}

const RISK_MARK: Record<string, (s: string) => string> = {
  high: pc.red,
  medium: pc.yellow,
  low: pc.cyan,
  none: pc.dim,
};

function money(amount: number, currency: string): string {
  return currency === 'JPY' ? `¥${amount.toLocaleString('ja-JP')}` : `$${amount.toFixed(2)}`;
}

export function renderReconcile(r: ReconcileResult, t: Translator): string {
  const out: string[] = [];
  out.push(
    pc.bold(
      t.t('reconcile.title', {
        charges: r.summary.charges,
        orders: r.summary.orders,
        from: r.summary.period?.from ?? '—',
        to: r.summary.period?.to ?? '—',
      }),
    ),
  );
  const risky = r.charges.filter((c) => c.risk === 'high' || c.risk === 'medium');
  // Without order data, "nothing risky" would be a grade mamori cannot give: say what to check instead.
  if (r.summary.noOrderData) out.push(pc.yellow(t.t('reconcile.no-orders')));
  else
    out.push(
      risky.length
        ? pc.red(t.t('reconcile.risky', { count: risky.length }))
        : pc.green(t.t('reconcile.none-risky')),
    );
  const rank = (risk: ExplainedCharge['risk']) =>
    risk === null ? 4 : ({ high: 0, medium: 1, low: 2, none: 3 } as const)[risk];
  const groups = [...chargeCategories].sort((a, b) => {
    const worst = (cat: string) =>
      Math.min(...r.charges.filter((c) => c.category === cat).map((c) => rank(c.risk)), 9);
    return worst(a) - worst(b) || chargeCategories.indexOf(a) - chargeCategories.indexOf(b);
  });
  for (const cat of groups) {
    const rows = r.charges
      .filter((c) => c.category === cat)
      .sort((a, b) => rank(a.risk) - rank(b.risk) || a.date.localeCompare(b.date));
    if (!rows.length) continue;
    const sum = r.summary.byCategory[cat]!;
    out.push(
      '',
      pc.bold(`■ ${t.t(`category.${cat}`)}  ${rows.length}  ${money(sum.total, rows[0]!.currency)}`),
      pc.dim(`  ${t.t(`category.${cat}.help`)}`),
    );
    for (const c of rows) out.push(chargeLine(c, t));
  }
  const unpaid = r.orders
    .filter((o) => o.risk === 'high' || o.risk === 'medium')
    .filter((o) => o.chargeKeys.length === 0);
  if (unpaid.length) {
    out.push('', pc.bold(t.t('reconcile.risky-orders')));
    for (const o of unpaid)
      out.push(
        `  ${RISK_MARK[o.risk]!(`[${t.t(`risk.${o.risk}`)}]`)} ${o.date} ${o.time ?? ''} ${o.orderId} ${money(o.total, o.currency)} ${o.items[0] ?? ''}`,
      );
  }
  if (r.suggestedSituations.length)
    out.push('', t.t('reconcile.next-plan', { plan: r.suggestedSituations.join(',') }));
  return out.join('\n');
}

function chargeLine(c: ExplainedCharge, t: Translator): string {
  const mark = c.risk
    ? RISK_MARK[c.risk]!(`[${t.t(`risk.${c.risk}`)}]`)
    : pc.yellow(`[${t.t('risk.unverified')}]`);
  const lines = [
    `  ${mark} ${c.date}  ${money(c.amount, c.currency).padStart(10)}  ${c.description}${c.orderIds.length ? pc.dim(`  ${c.orderIds.join(', ')}`) : ''}`,
  ];
  for (const f of c.findings.filter((f) => f.severity !== 'info' || f.id.startsWith('match.')).slice(0, 4)) {
    const amounts = Object.fromEntries(
      ['covered', 'giftCard'].flatMap((k) =>
        typeof f.params[k] === 'number' ? [[k, money(f.params[k], c.currency)]] : [],
      ),
    );
    lines.push(pc.dim(`        ${t.t(`ledger.${f.id}`, { ...f.params, ...amounts, evidence: f.evidence })}`));
  }
  return lines.join('\n');
}

async function copyStoredOrders(open: () => Store, into: Store): Promise<void> {
  const stored = open();
  try {
    const data = await stored.load();
    if (data.lines.length + data.payments.length + data.refunds.length === 0) return;
    await into.importFile(stored.location, 'stored-orders', async (sink) => {
      for (const l of data.lines) sink.line(l);
      for (const p of data.payments) sink.payment(p);
      for (const r of data.refunds) sink.refund(r);
    });
  } finally {
    stored.close();
  }
}

/**
 * One JSON object of these fields, written in pieces of about 64 KiB, with a line break after it: the same text as
 * JSON.stringify of the whole (arrays element by element), without holding 25 MB of it as one string (50,000
 * charges and 20,000 orders: a string, its bytes, and the collector's work on both).
 */
type JsonField =
  { name: string; value: unknown } | { name: string; each: (write: (v: unknown) => void) => void };

/** An array field written element by element, each shaped as it is written: the shaped copies die young. */
function arrayField<T>(name: string, items: readonly T[], shown: (x: T) => unknown): JsonField {
  return { name, each: (write) => items.forEach((x) => write(shown(x))) };
}

function writeJson(io: Io, fields: JsonField[]): void {
  const pieces: string[] = [];
  let piece = '';
  const emit = (s: string) => {
    piece += s;
    if (piece.length < 65_536) return;
    if (io.write) io.write(piece);
    else pieces.push(piece);
    piece = '';
  };
  emit('{');
  fields.forEach((f, i) => {
    emit(`${i ? ',' : ''}${JSON.stringify(f.name)}:`);
    if (!('each' in f)) return emit(JSON.stringify(f.value));
    let k = 0;
    emit('[');
    f.each((v) => emit((k++ ? ',' : '') + (JSON.stringify(v) ?? 'null')));
    emit(']');
  });
  emit('}');
  if (io.write) io.write(piece + '\n');
  else io.out(pieces.join('') + piece);
}

/**
 * Reconciles the given files (read into memory; nothing is stored), or, with none, what the store holds.
 * `open` gives the stored data read-only.
 */
export async function runReconcile(
  opts: { orders: string[]; statements: string[]; json: boolean; mapping?: StatementLayout },
  knowledge: Knowledge,
  t: Translator,
  io: Io,
  open: () => Store,
  onResult?: (result: ReconcileResult) => void,
): Promise<number> {
  const direct = opts.orders.length + opts.statements.length > 0;
  const store = direct ? new MemoryStore({ copies: false }) : open();
  try {
    // A statement without order files is read against the orders already stored (an export, or the pages of
    // Amazon the person pasted with `mamori import`); the statements' own charges are not mixed with stored ones.
    if (direct && opts.orders.length === 0) await copyStoredOrders(open, store);
    if (direct) {
      const status = Math.max(
        await runImport(store, opts.orders, knowledge, t, io, undefined, true),
        await runImport(store, opts.statements, knowledge, t, io, opts.mapping, true),
      );
      if (status) return status;
    }
    const result = await reconcileStored(store, knowledge);
    if (!result) {
      io.err(t.t('reconcile.nothing'));
      return 1;
    }
    onResult?.(result);
    if (opts.json) {
      writeJson(io, [
        arrayField(
          'charges',
          result.charges,
          ({ date, description, amount, currency, category, risk, orderIds, findings, source }) => ({
            date,
            description,
            amount,
            currency,
            category,
            risk,
            orderIds,
            findings,
            source,
          }),
        ),
        arrayField(
          'orders',
          result.orders,
          ({ orderId, date, time, total, currency, status, risk, findings, items }) => ({
            orderId,
            date,
            time,
            total,
            currency,
            status,
            risk,
            findings,
            items,
          }),
        ),
        { name: 'suggestedSituations', value: result.suggestedSituations },
        { name: 'summary', value: result.summary },
      ]);
    } else io.out(renderReconcile(result, t));
    return 0;
  } finally {
    store.close();
  }
}
