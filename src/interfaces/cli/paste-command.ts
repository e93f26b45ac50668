import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { ReadStream } from 'node:tty';
import pc from 'picocolors';
import { importFiles } from '#core/app/import-files.ts';
import { commitPasted, previewPasted, type PastePreview } from '#core/app/import-pasted.ts';
import type { Knowledge } from '#core/knowledge/compile.ts';
import { bytesImportSource } from '#core/ledger/bytes-source.ts';
import type { CardRef, PageKind, PasteReading } from '#core/ledger/pasted/extract.ts';
import type { Clock } from '#core/ports/clock.ts';
import type { Store } from '#core/ports/store.ts';
import { MemoryStore } from '#core/store/memory-store.ts';
import { reconcileStored } from '#core/app/reconcile-stored.ts';
import type { Translator } from '#interfaces/i18n.ts';
import type { Io } from './check-command.ts';
import { problemText, renderReconcile, runImport } from './ledger-commands.ts';

const MAX_BYTES = 8 * 1024 * 1024;

async function readInput(file: string): Promise<Uint8Array | 'too-large'> {
  if (file !== '-') {
    if (statSync(file).size > MAX_BYTES) return 'too-large';
    return new Uint8Array(readFileSync(file));
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > MAX_BYTES) return 'too-large';
    chunks.push(chunk);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function money(amount: number, currency: string): string {
  return currency === 'JPY' ? `¥${amount.toLocaleString('ja-JP')}` : `$${amount.toFixed(2)}`;
}

const cardText = (c: CardRef | null) =>
  c ? [c.brand, c.last4 ? `****${c.last4}` : null].filter(Boolean).join(' ') : '—';

function linesText(t: Translator, lines: readonly number[]): string {
  if (!lines.length) return '';
  const first = lines[0]!;
  const last = lines[lines.length - 1]!;
  return first === last ? t.t('paste.line', { n: first }) : t.t('paste.lines', { from: first, to: last });
}

/** The preview: what was read, from which lines, with what confidence, and what could not be read. */
export function renderPreview(p: Extract<PastePreview, { kind: 'paste' }>, t: Translator): string {
  const r: PasteReading = p.reading;
  const out: string[] = [pc.bold(t.t('paste.read', { page: t.t(`paste.page.${p.page}`) }))];
  if (!r.pageNamed) out.push(pc.yellow(t.t('paste.page-guessed')));
  out.push(pc.dim(t.t('paste.private')));
  const conf = (c: string) =>
    (c === 'high' ? pc.green : c === 'medium' ? pc.yellow : pc.red)(t.t(`paste.confidence.${c}`));
  if (r.charges.length) {
    out.push('', pc.bold(t.t('paste.charges', { count: r.charges.length })));
    for (const c of r.charges)
      out.push(
        `  ${c.date}  ${(c.type === 'refund' ? '+' : '') + money(c.amount, c.currency)}`.padEnd(26) +
          `  ${cardText(c.card).padEnd(18)}  ${c.orderId}  ${c.merchant ?? '—'}  ${conf(c.confidence)}${c.type === 'refund' ? `  ${t.t('paste.refund')}` : ''}  ${pc.dim(linesText(t, c.lines))}`,
      );
  }
  if (r.orders.length) {
    out.push('', pc.bold(t.t('paste.orders', { count: r.orders.length })));
    for (const o of r.orders)
      out.push(
        `  ${o.date ?? '—'}  ${o.total === null ? '—' : money(o.total, o.currency)}`.padEnd(26) +
          `  ${o.orderId}  ${t.t(`paste.status.${o.status}`)}${o.refunded ? `  ${t.t('paste.refund')}` : ''}  ${conf(o.confidence)}  ${pc.dim(linesText(t, o.lines))}`,
      );
  }
  if (r.unread.length) {
    out.push('', pc.yellow(t.t('paste.unread', { count: r.unread.length })));
    for (const u of r.unread.slice(0, 20))
      out.push(`  ${t.t('paste.line', { n: u.line })}: ${t.t(`paste.unread.${u.reason}`)}`);
  }
  const n = p.records.lines.length + p.records.payments.length + p.records.refunds.length;
  out.push('', t.t('paste.will-store', { count: n }));
  return out.join('\n');
}

/** What to paste, and how to copy each page (steps the reference does not confirm are marked so). */
export function renderHowToCopy(t: Translator): string {
  const pages: PageKind[] = ['transactions', 'orders', 'order-details', 'digital-orders'];
  const out = [t.t('paste.nothing'), '', t.t('paste.expected')];
  for (const page of pages) out.push('', pc.bold(t.t(`paste.page.${page}`)), `  ${t.t(`paste.how.${page}`)}`);
  out.push('', t.t('paste.how.copy'), pc.dim(t.t('paste.how.uncertain')));
  return out.join('\n');
}

/**
 * A yes/no on the terminal, also when the paste itself came through stdin (asked on /dev/tty then); `null` when
 * nobody is at a terminal to answer (a script: it passes `--yes`).
 */
async function confirm(question: string, stdinUsed: boolean): Promise<boolean | null> {
  let input: NodeJS.ReadableStream = process.stdin;
  let fd: number | null = null;
  if (!stdinUsed && !process.stdin.isTTY) return null;
  if (stdinUsed) {
    if (!process.stderr.isTTY) return null;
    try {
      fd = openSync('/dev/tty', 'r');
      input = new ReadStream(fd);
    } catch {
      return null;
    }
  }
  const rl = createInterface({ input, output: process.stderr });
  try {
    const answer = (await rl.question(question)).trim().toLowerCase();
    return ['y', 'yes', 'はい', 'ｙ'].includes(answer);
  } finally {
    rl.close();
    if (fd !== null) {
      (input as ReadStream).destroy();
      try {
        closeSync(fd);
      } catch {
        // closed with the stream
      }
    }
  }
}

/**
 * `mamori import -` / `import page.txt|.html|.mhtml`: read, show, store on confirmation (`yes` for scripts).
 * The paste's text is never written anywhere but the screen: not to a log, not into an error message.
 */
export async function runImportPasted(
  file: string,
  opts: { yes: boolean },
  deps: { knowledge: Knowledge; t: Translator; io: Io; clock: Clock; store: () => Store },
): Promise<number> {
  const { knowledge, t, io } = deps;
  const label = file === '-' ? t.t('label.pasted') : file;
  if (file === '-' && process.stdin.isTTY)
    io.err(
      t.t('paste.prompt', {
        keys: t.t(process.platform === 'win32' ? 'check.paste-keys.windows' : 'check.paste-keys.unix'),
      }),
    );
  const bytes = await readInput(file);
  if (bytes === 'too-large') {
    io.err(t.t('paste.too-large', { file: label }));
    return 1;
  }
  let preview: PastePreview;
  try {
    preview = await previewPasted(bytes, { knowledge, name: file, at: deps.clock.now() });
  } catch {
    // Whatever went wrong, its message could quote the paste (a name, an address): only this sentence is said,
    // even with MAMORI_DEBUG.
    io.err(t.t('paste.failed', { file: label }));
    return 1;
  }
  if (preview.kind === 'empty') {
    io.err(t.t('paste.empty', { file: label }));
    return 1;
  }
  if (preview.kind === 'too-large') {
    io.err(t.t('paste.too-large', { file: label }));
    return 1;
  }
  if (preview.kind === 'nothing') {
    io.err(renderHowToCopy(t));
    return 1;
  }
  if (preview.kind === 'statement') {
    io.out(t.t('paste.is-statement', { file: label }));
    const store = deps.store();
    try {
      if (file !== '-') return await runImport(store, [file], knowledge, t, io);
      const [o] = await importFiles(
        store,
        [{ file: label, source: bytesImportSource(label, [{ path: 'pasted.txt', bytes }]) }],
        { knowledge },
      );
      if (!o || !o.ok) {
        if (o && !o.ok) io.err(problemText(t, o.problem));
        return 1;
      }
      io.out(t.t('import.done', { file: label, added: o.added, unchanged: o.unchanged }));
      return 0;
    } finally {
      store.close();
    }
  }
  io.out(renderPreview(preview, t));
  const ok = opts.yes || (await confirm(t.t('paste.confirm'), file === '-'));
  if (ok === null) {
    io.err(t.t('paste.not-stored-yes'));
    return 1;
  }
  if (!ok) {
    io.out(t.t('paste.not-stored'));
    return 0;
  }
  const store = deps.store();
  try {
    const c = await commitPasted(store, preview);
    io.out(t.t('paste.stored', { added: c.added, unchanged: c.unchanged, path: store.location }));
    io.out(t.t('paste.next'));
    return 0;
  } finally {
    store.close();
  }
}

/**
 * The demo's paste step: a statement and a pasted transactions page, read into memory (nothing stored), the
 * preview shown, then the statement's charges explained by the page.
 */
export async function runPasteDemo(
  page: string,
  statement: string,
  deps: { knowledge: Knowledge; t: Translator; io: Io; clock: Clock },
): Promise<number> {
  const { knowledge, t, io } = deps;
  const preview = await previewPasted(new Uint8Array(readFileSync(page)), {
    knowledge,
    name: page,
    at: deps.clock.now(),
  });
  if (preview.kind !== 'paste') return 1;
  io.out(renderPreview(preview, t) + '\n');
  const store = new MemoryStore();
  try {
    await commitPasted(store, preview);
    const status = await runImport(store, [statement], knowledge, t, io, undefined, true);
    if (status) return status;
    const result = await reconcileStored(store, knowledge);
    if (!result) return 1;
    io.out(renderReconcile(result, t));
    return 0;
  } finally {
    store.close();
  }
}
