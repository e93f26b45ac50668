import { parse as parseCsv } from 'csv-parse/browser/esm/sync';
import { binaryString } from '#core/bytes.ts';
import { sniffFileKind } from '#core/file-kind.ts';
import type { StatementLayout } from '#core/knowledge/schema.ts';
import { decodeUnknown, garbledShare } from '#core/mail/decode.ts';
import type { CardCharge, CardInfo, ImportProblem } from './types.ts';
import { parseAmount, parseDate, stableKey } from './values.ts';

export interface StatementResult {
  layout: string | null;
  charges: CardCharge[];
  problems: ImportProblem[];
  /** Rows that were neither a charge nor a recognised preamble/footer (kept for the message, not imported). */
  skipped: number;
  /** The file fitted no known layout and was read with columns guessed from their content: the `--map` used. */
  guessed?: string;
}

const nfkc = (s: string) =>
  s
    .normalize('NFKC')
    .replace(/^\uFEFF/, '')
    .trim();

function columnMatcher(spec: string): (name: string) => boolean {
  const re = /^\/(.*)\/$/.exec(spec);
  if (re) {
    const r = new RegExp(re[1]!, 'u');
    return (name) => r.test(nfkc(name));
  }
  const want = nfkc(spec);
  return (name) => nfkc(name) === want;
}

function findHeader(rows: string[][], layout: StatementLayout): number {
  const req = (layout.require ?? []).map(columnMatcher);
  for (let i = 0; i < Math.min(rows.length, 40); i++) {
    const row = rows[i]!;
    if (req.every((m) => row.some(m))) return i;
  }
  return -1;
}

const isDateCell = (s: string | undefined) => s !== undefined && parseDate(s) !== null;

/**
 * A headerless shape: every dated row has exactly that many cells, and nothing but blank rows (and the marker
 * row, when the layout has one) comes before the first of them. A file with a header row is never headerless,
 * so a header file whose rows happen to be as wide is not taken for this shape.
 */
function headerlessMatches(rows: string[][], layout: StatementLayout): boolean {
  const spec = layout.headerless!;
  if (spec.firstRowMarker && !new RegExp(spec.firstRowMarker, 'u').test(nfkc(rows[0]?.[0] ?? '')))
    return false;
  const first = rows.findIndex((r) => isDateCell(r[0]));
  if (first < 0) return false;
  const blank = (r: string[]) => r.every((c) => c.trim() === '');
  if (rows.slice(spec.firstRowMarker ? 1 : 0, first).some((r) => !blank(r))) return false;
  return rows.filter((r) => isDateCell(r[0])).every((r) => r.length === spec.cells);
}

/** Reads the raw bytes of a CSV in whatever encoding it came in (CP932, UTF-8 ± BOM, UTF-16). */
/** Rows whose cell count differs from the first row's, tolerated per file (data/reconcile.yaml overrides it). */
export const DEFAULT_MAX_RAGGED_ROWS = 20_000;

export function readCsvRows(
  bytes: Uint8Array,
  maxRaggedRows = DEFAULT_MAX_RAGGED_ROWS,
): { rows: string[][]; charset: string } | { error: string } {
  const { text, charset } = decodeUnknown(bytes);
  try {
    const rows = withoutStackTraces(
      () =>
        parseCsv(text, {
          relax_column_count: true,
          relax_quotes: true,
          skip_empty_lines: false,
          bom: true,
          trim: false,
          // Preambles, footers and cardholder sections make a few rows of another width; tens of thousands mean
          // this is not a table, and each costs csv-parse an error object: stop early instead of crawling.
          on_record: (record: string[], info: { invalid_field_length: number }) => {
            if (info.invalid_field_length > maxRaggedRows)
              throw new Error(`over ${maxRaggedRows} rows with a different number of cells`);
            return record;
          },
        }) as string[][],
    );
    return { rows, charset };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/**
 * Runs `f` with stack traces off. csv-parse builds an error object for every row whose column count differs from
 * the first row's, even when told to accept such rows; capturing a stack for each made a 64 MB statement of
 * ragged rows take minutes. The traces are never shown (a bad row is a problem value), so none are captured.
 * Where the engine has no `Error.stackTraceLimit` this changes nothing.
 */
export function withoutStackTraces<T>(f: () => T): T {
  const E = Error as { stackTraceLimit?: number };
  const saved = E.stackTraceLimit;
  E.stackTraceLimit = 0;
  try {
    return f();
  } finally {
    E.stackTraceLimit = saved;
  }
}

/** A masked card number (4980-****-****-1234): only a number with a mask is taken, never a phone number. */
const MASKED_CARD = /^[\d*Xx]{4}[-\s]?[\d*Xx]{4}[-\s]?[\d*Xx]{4}[-\s]?(\d{4})$/u;
const CARD_NAME_LABEL = /^(?:カード名称|対象カード|カード名)$/u;

/** The card a statement is for, from its preamble rows (before the first charge) and the layout's issuer. */
function cardOf(rows: string[][], layout: StatementLayout): CardInfo | undefined {
  const card: CardInfo = layout.issuer ? { issuer: layout.issuer } : {};
  const first = rows.findIndex((r) => isDateCell(r[0]));
  for (const row of rows.slice(0, first < 0 ? 40 : Math.min(first, 40))) {
    const cells = row.map(nfkc);
    cells.forEach((c, i) => {
      const m = MASKED_CARD.exec(c);
      if (m && /[*Xx]/.test(c) && !card.last4) {
        card.last4 = m[1]!;
        // Vpass: 「氏名 様,4980-****-****-1234,三井住友カード(NL)」 — the card's name follows its number.
        if (layout.headerless && cells[i + 1] && !card.name) card.name = cells[i + 1]!;
      }
      if (CARD_NAME_LABEL.test(c) && cells[i + 1] && !card.name) card.name = cells[i + 1]!;
    });
  }
  return Object.keys(card).length ? card : undefined;
}

const SECTION_HOLDER = /(?:ご利用者名|会員名)\s*[:：]\s*(.+?)\s*様/u;
const ASCII = /^[ -~]*$/;

/** Turns statement rows into charges with the given layout. Preamble, section and total rows are skipped. */
export function applyLayout(rows: string[][], layout: StatementLayout, file: string): StatementResult {
  const out: StatementResult = { layout: layout.id, charges: [], problems: [], skipped: 0 };
  let start = 0;
  let pick: (row: string[], role: keyof StatementLayout['columns']) => string | undefined;
  if (layout.headerless) {
    pick = (row, role) => {
      const spec = layout.columns[role];
      return spec === undefined ? undefined : row[Number(spec)];
    };
  } else {
    const h = findHeader(rows, layout);
    const header = rows[h]!;
    const idx = new Map<string, number>();
    for (const [role, spec] of Object.entries(layout.columns)) {
      if (spec === undefined) continue;
      const m = columnMatcher(spec);
      idx.set(role, header.findIndex(m));
    }
    if (layout.skip) idx.set('skip', header.findIndex(columnMatcher(layout.skip.column)));
    pick = (row, role) => {
      const i = idx.get(role) ?? -1;
      return i >= 0 ? row[i] : undefined;
    };
    start = h + 1;
    const skipIdx = idx.get('skip') ?? -1;
    const skipRe = layout.skip ? new RegExp(layout.skip.pattern, 'iu') : null;
    const base = pick;
    pick = (row, role) =>
      role === 'date' && skipRe && skipIdx >= 0 && skipRe.test(nfkc(row[skipIdx] ?? ''))
        ? undefined
        : base(row, role);
  }
  const seen = new Map<string, number>();
  const card = cardOf(rows, layout);
  let holder: string | null = null;
  for (let i = start; i < rows.length; i++) {
    const row = rows[i]!;
    if (row.every((c) => c.trim() === '')) continue;
    // ASCII reads the same under NFKC and holds no 様: only the other cells can name a cardholder's section.
    const section = row
      .map((c) => (ASCII.test(c) ? undefined : SECTION_HOLDER.exec(nfkc(c))?.[1]))
      .find(Boolean);
    if (section) {
      holder = section;
      continue;
    }
    const date = parseDate(pick(row, 'date') ?? '', layout.dateOrder);
    if (!date) {
      out.skipped++;
      continue;
    }
    let amount: number | null;
    if (layout.sign === 'debit-credit') {
      const d = parseAmount(pick(row, 'debit'));
      const c = parseAmount(pick(row, 'credit'));
      amount = d !== null ? d : c !== null ? -c : null;
    } else {
      amount = parseAmount(pick(row, 'amount'));
      if (amount !== null && layout.sign === 'charge-negative') amount = -amount;
    }
    const description = nfkc(pick(row, 'description') ?? '').replace(/\s+/g, ' ');
    if (amount === null || !description) {
      out.problems.push({
        code: 'bad-row',
        file,
        row: i + 1,
        detail: `no amount or description: ${row.join(',').slice(0, 80)}`,
      });
      continue;
    }
    const cardholder = nfkc(pick(row, 'cardholder') ?? '') || holder;
    const base = stableKey(layout.id, date, description, amount, cardholder);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    out.charges.push({
      key: stableKey(base, n),
      date,
      description,
      amount,
      currency: layout.currency,
      cardholder,
      layout: layout.id,
      source: { file, row: i + 1 },
      printed: {
        date: (pick(row, 'date') ?? '').trim(),
        description: (pick(row, 'description') ?? '').trim(),
        amount: (layout.sign === 'debit-credit'
          ? pick(row, 'debit')?.trim() || pick(row, 'credit') || ''
          : (pick(row, 'amount') ?? '')
        ).trim(),
      },
      ...(card ? { card } : {}),
    });
  }
  if (out.charges.length === 0)
    out.problems.push({
      // A header and nothing under it (a period without charges) is told apart from rows that did not read.
      code: rows.slice(start).every((r) => r.every((c) => c.trim() === '')) ? 'header-only' : 'no-rows',
      file,
      detail: layout.name,
    });
  return out;
}

/** The header row a layout's required columns are all in, and the cells they match there. */
function headerMatch(rows: string[][], layout: StatementLayout): { row: number; cells: Set<number> } | null {
  const row = findHeader(rows, layout);
  if (row < 0) return null;
  const header = rows[row]!;
  const cells = new Set<number>();
  for (const m of (layout.require ?? []).map(columnMatcher))
    header.forEach((name, i) => {
      if (m(name)) cells.add(i);
    });
  return { row, cells };
}

/** `a` explains everything `b` saw, and more: the same header row, a strict superset of its matched cells. */
function moreSpecific(
  a: { row: number; cells: Set<number> },
  b: { row: number; cells: Set<number> },
): boolean {
  return a.row === b.row && a.cells.size > b.cells.size && [...b.cells].every((c) => a.cells.has(c));
}

export type LayoutDetection =
  | { ok: true; layout: StatementLayout }
  | { ok: false; code: 'unknown-layout' }
  | { ok: false; code: 'ambiguous-layout'; candidates: StatementLayout[] };

/**
 * Which layout a file is in, never by file order. Named columns beat a shape: header layouts are tried first,
 * headerless ones only when none fits. When several header layouts fit, the one more specific than every other
 * wins (its required columns match, in the same header row, every cell the others' match and more: a layout
 * that only adds columns to another's); otherwise the file is ambiguous and the caller asks the user. Two
 * headerless shapes that both fit are ambiguous.
 */
export function detectLayout(rows: string[][], layouts: readonly StatementLayout[]): LayoutDetection {
  const withHeader = layouts
    .filter((l) => l.require)
    .map((layout) => ({ layout, match: headerMatch(rows, layout) }))
    .filter((x): x is { layout: StatementLayout; match: { row: number; cells: Set<number> } } => !!x.match);
  if (withHeader.length === 1) return { ok: true, layout: withHeader[0]!.layout };
  if (withHeader.length > 1) {
    const winner = withHeader.find((a) => withHeader.every((b) => a === b || moreSpecific(a.match, b.match)));
    return winner
      ? { ok: true, layout: winner.layout }
      : { ok: false, code: 'ambiguous-layout', candidates: withHeader.map((x) => x.layout) };
  }
  const shapes = layouts.filter((l) => l.headerless && headerlessMatches(rows, l));
  if (shapes.length === 1) return { ok: true, layout: shapes[0]! };
  if (shapes.length > 1) return { ok: false, code: 'ambiguous-layout', candidates: shapes };
  return { ok: false, code: 'unknown-layout' };
}

const ROLE_HINTS: [string, RegExp][] = [
  ['date', /日|date/i],
  ['amount', /金額|額|amount|debit|charge/i],
  ['description', /店|内容|先|場所|箇所|description|merchant|payee|name/i],
];

/** What an unknown layout looks like: the likeliest header row and which roles its columns could fill. */
export function describeUnknown(rows: string[][], file: string): ImportProblem {
  const candidates = rows
    .slice(0, 40)
    .filter((r) => r.filter((c) => c.trim()).length >= 3 && !r.some((c) => isDateCell(c)));
  const header = (candidates[0] ?? rows[0] ?? []).map((c) => nfkc(c)).filter(Boolean);
  const recognised = ROLE_HINTS.filter(([, re]) => header.some((c) => re.test(c))).map(
    ([role, re]) => `${role}=${header.find((c) => re.test(c))}`,
  );
  return { code: 'unknown-layout', file, columns: header.slice(0, 20), recognised };
}

const AMOUNT_HINTS = [/^(ご)?利用金額|^金額$|^amount$/i, /金額|amount|debit|charge/i, /額/];
const DESCRIPTION_HINT = /店|内容|先|場所|箇所|摘要|description|merchant|payee|name/i;

/**
 * Columns guessed from their content, for a file that fits no known layout: under a header row, a column of
 * dates, a column of amounts and a column of text (header words break ties: 利用金額 before 手数料). Null when
 * the three cannot be told, or the header names could not be given back as a `--map`.
 */
export function guessLayout(
  rows: string[][],
  currency: 'JPY' | 'USD' = 'JPY',
): { layout: StatementLayout; mapping: string } | null {
  for (let h = 0; h < Math.min(rows.length, 40); h++) {
    const header = rows[h]!.map(nfkc);
    if (header.filter(Boolean).length < 3 || header.some((c) => isDateCell(c))) continue;
    const body = rows
      .slice(h + 1, h + 501)
      .filter((r) => r.some((c) => isDateCell(c)))
      .map((r) => r.map(nfkc));
    if (body.length === 0) continue;
    const share = (i: number, f: (c: string) => boolean) =>
      body.filter((r) => f(r[i] ?? '')).length / body.length;
    const cols = header.map((name, i) => ({
      name,
      i,
      date: share(i, (c) => isDateCell(c)),
      amount: share(i, (c) => !isDateCell(c) && parseAmount(c) !== null),
      text: share(i, (c) => c !== '' && !isDateCell(c) && parseAmount(c) === null),
      length: body.reduce((n, r) => n + (r[i] ?? '').length, 0),
    }));
    const named = cols.filter((c) => c.name && header.indexOf(c.name) === c.i && !/[,=]/.test(c.name));
    const date = named
      .filter((c) => c.date >= 0.8)
      .sort((a, b) => +/日|date/i.test(b.name) - +/日|date/i.test(a.name))[0];
    if (!date) continue;
    const amounts = named.filter((c) => c !== date && c.amount >= 0.8);
    const amount = AMOUNT_HINTS.map((re) => amounts.find((c) => re.test(c.name))).find(Boolean) ?? amounts[0];
    const texts = named.filter((c) => c !== date && c !== amount && c.text >= 0.6);
    // The fullest text column, named like a description if one is (摘要内容 over 摘要 by its content).
    const longest = (cs: typeof texts) => [...cs].sort((a, b) => b.length - a.length)[0];
    const description = longest(texts.filter((c) => DESCRIPTION_HINT.test(c.name))) ?? longest(texts);
    if (!amount || !description) continue;
    const mapping = `date=${date.name},description=${description.name},amount=${amount.name}`;
    const layout = layoutFromMapping(mapping, currency);
    if (typeof layout === 'string') return null;
    return { layout: { ...layout, id: 'guessed', name: 'guessed' }, mapping };
  }
  return null;
}

/** Parses `date=利用日,description=利用店名,amount=利用金額[,cardholder=…][,sign=negative]` into a layout. */
export function layoutFromMapping(spec: string, currency: 'JPY' | 'USD'): StatementLayout | string {
  const parts = new Map(
    spec
      .split(',')
      .map((p) => p.split('='))
      .filter((kv) => kv.length === 2)
      .map(([k, v]) => [k!.trim(), v!.trim()]),
  );
  for (const need of ['date', 'description', 'amount'])
    if (!parts.get(need)) return `--map needs ${need}=<column name>`;
  const unknown = [...parts.keys()].filter(
    (k) => !['date', 'description', 'amount', 'cardholder', 'sign', 'dates'].includes(k),
  );
  if (unknown.length)
    return `--map does not know ${unknown.join(', ')} (use date, description, amount, cardholder, sign=negative, dates=mdy|dmy|ymd)`;
  const cols = {
    date: parts.get('date')!,
    description: parts.get('description')!,
    amount: parts.get('amount')!,
    ...(parts.get('cardholder') ? { cardholder: parts.get('cardholder')! } : {}),
  };
  const dates = parts.get('dates');
  if (dates && !['mdy', 'dmy', 'ymd'].includes(dates)) return '--map dates must be ymd, mdy or dmy';
  return {
    id: 'custom',
    name: 'custom mapping',
    currency,
    source: '--map',
    require: [cols.date, cols.description, cols.amount],
    columns: cols,
    sign: parts.get('sign') === 'negative' ? 'charge-negative' : 'charge-positive',
    dateOrder: (dates as 'ymd' | 'mdy' | 'dmy' | undefined) ?? 'ymd',
  };
}

/** OFX 1.x (SGML) and 2.x (XML): each STMTTRN with its FITID. Card purchases are negative there; here positive. */
export function parseOfx(text: string, file: string): StatementResult {
  const out: StatementResult = { layout: 'ofx', charges: [], problems: [], skipped: 0 };
  const currency = /<CURDEF>\s*([A-Z]{3})/i.exec(text)?.[1]?.toUpperCase() === 'JPY' ? 'JPY' : 'USD';
  const blocks = text.split(/<STMTTRN>/i).slice(1);
  const tag = (b: string, name: string) => new RegExp(`<${name}>\\s*([^<\\r\\n]*)`, 'i').exec(b)?.[1]?.trim();
  blocks.forEach((b, i) => {
    const date = parseDate(tag(b, 'DTPOSTED') ?? '');
    const amt = parseAmount(tag(b, 'TRNAMT'));
    const description = [tag(b, 'NAME'), tag(b, 'MEMO')].filter(Boolean).join(' ').trim();
    if (!date || amt === null) {
      out.problems.push({ code: 'bad-row', file, row: i + 1, detail: 'STMTTRN without DTPOSTED or TRNAMT' });
      return;
    }
    if (/^PAYMENT$/i.test(tag(b, 'TRNTYPE') ?? '')) return;
    const fitid = tag(b, 'FITID') ?? '';
    out.charges.push({
      key: stableKey('ofx', fitid || `${date}|${description}|${amt}|${i}`),
      date,
      description,
      amount: -amt,
      currency,
      cardholder: null,
      layout: 'ofx',
      source: { file, row: i + 1 },
      printed: { date: tag(b, 'DTPOSTED') ?? '', description, amount: tag(b, 'TRNAMT') ?? '' },
    });
  });
  if (out.charges.length === 0) out.problems.push({ code: 'no-rows', file, detail: 'OFX' });
  return out;
}

/** A statement file in, charges out: OFX by its markers, CSV by layout (or the given mapping). */
export function parseStatement(
  bytes: Uint8Array,
  file: string,
  layouts: readonly StatementLayout[],
  mapping?: StatementLayout,
  maxRaggedRows = DEFAULT_MAX_RAGGED_ROWS,
): StatementResult {
  const fail = (p: ImportProblem): StatementResult => ({
    layout: null,
    charges: [],
    problems: [p],
    skipped: 0,
  });
  if (bytes.length === 0) return fail({ code: 'empty', file });
  // A PDF statement or a screenshot is said as such: the card company's site offers the CSV beside it.
  const kind = sniffFileKind(bytes);
  if (kind) return fail({ code: kind, file });
  const head = binaryString(bytes.subarray(0, 512));
  if (/OFXHEADER|<OFX>/i.test(head)) return parseOfx(decodeUnknown(bytes).text, file);
  const { text } = decodeUnknown(bytes.subarray(0, 65536));
  // eslint-disable-next-line no-control-regex
  if (garbledShare(text) > 0.05 || /[\x00-\x08\x0e-\x1a]/.test(text)) return fail({ code: 'encoding', file });
  const csv = readCsvRows(bytes, maxRaggedRows);
  if ('error' in csv) return fail({ code: 'unsupported', file, detail: csv.error });
  if (csv.rows.length === 0 || csv.rows.every((r) => r.every((c) => !c.trim())))
    return fail({ code: 'empty', file });
  if (mapping) {
    if (findHeader(csv.rows, mapping) < 0)
      return fail({ ...describeUnknown(csv.rows, file), code: 'bad-mapping' });
    return applyLayout(csv.rows, mapping, file);
  }
  const found = detectLayout(csv.rows, layouts);
  if (found.ok) return applyLayout(csv.rows, found.layout, file);
  if (found.code === 'unknown-layout') {
    const guess = guessLayout(csv.rows);
    if (guess) {
      const r = applyLayout(csv.rows, guess.layout, file);
      if (r.charges.length) return { ...r, guessed: guess.mapping };
    }
    const filled = csv.rows.filter((r) => r.some((c) => c.trim()));
    if (filled.length === 1) return fail({ ...describeUnknown(csv.rows, file), code: 'header-only' });
    return fail(describeUnknown(csv.rows, file));
  }
  return fail({
    ...describeUnknown(csv.rows, file),
    code: 'ambiguous-layout',
    candidates: found.candidates.map((l) => l.id),
    detail: found.candidates.map((l) => `${l.name} (${l.id})`).join(', '),
  });
}
