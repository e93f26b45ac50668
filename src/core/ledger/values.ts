/** Parsing the values found in exports and statements: dates, amounts, descriptors. Pure and total. */

const pad = (n: number) => String(n).padStart(2, '0');

export function isoDate(y: number, m: number, d: number): string | null {
  if (y < 100) y += 2000;
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1990 || y > 2100) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

export type DateOrder = 'ymd' | 'mdy' | 'dmy';

/** A calendar date written the ways statements write it: 2022/7/29, 2026年1月10日, 01/03/2020, 20200703. */
export function parseDate(raw: string, order: DateOrder = 'ymd'): string | null {
  const s = raw.normalize('NFKC').trim().replace(/^'/, '');
  let m = /^(\d{4})年(\d{1,2})月(\d{1,2})日/.exec(s);
  if (m) return isoDate(+m[1]!, +m[2]!, +m[3]!);
  m = /^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})(?:$|[ T])/.exec(s);
  if (m) return isoDate(+m[1]!, +m[2]!, +m[3]!);
  m = /^(\d{4})(\d{2})(\d{2})(?:$|\d|\[)/.exec(s);
  if (m) return isoDate(+m[1]!, +m[2]!, +m[3]!);
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})$/.exec(s);
  if (m) return order === 'dmy' ? isoDate(+m[3]!, +m[2]!, +m[1]!) : isoDate(+m[3]!, +m[1]!, +m[2]!);
  return null;
}

/** Amounts as written: "1,200", ￥1,200, $21.75, '-0.68', −3000 (U+2212), (12.00), 1200円. */
export function parseAmount(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  let s = raw
    .normalize('NFKC')
    .trim()
    .replace(/^'+|'+$/g, '')
    .replace(/[\u2212\u2012\u2013\uFF0D]/g, '-');
  if (!s || /^(not (available|applicable)|n\/a|-+)$/i.test(s)) return null;
  let negative = false;
  if (/^\(.*\)$/.test(s)) {
    negative = true;
    s = s.slice(1, -1);
  }
  s = s.replace(/[¥￥$€£,\s円]|JPY|USD/gi, '');
  if (s.startsWith('-')) {
    negative = !negative;
    s = s.slice(1);
  }
  if (!/^\d+(\.\d+)?$/.test(s)) return null;
  const v = Number(s);
  return negative ? -v : v;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Building an Intl formatter costs more than formatting with it: one per zone. */
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

// A zone's offset from UTC, per quarter hour of UTC time (every offset change in the tz database falls on one):
// formatting with Intl for every row of a 20,000-order export cost more than the rest of reading it.
const QUARTER = 15 * 60_000;
const offsets = new Map<string, Map<number, number>>();
function zoneOffset(utc: number, timeZone: string): number {
  const quarter = Math.floor(utc / QUARTER);
  const start = quarter * QUARTER;
  let zone = offsets.get(timeZone);
  if (!zone) offsets.set(timeZone, (zone = new Map()));
  // Keyed by the quarter's number (a small integer), not its milliseconds (a heap number for every lookup).
  let offset = zone.get(quarter);
  if (offset === undefined) {
    const parts = formatter(timeZone).formatToParts(start);
    const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
    offset = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute')) - start;
    if (zone.size >= 100_000) zone.clear();
    zone.set(quarter, offset);
  }
  return offset;
}

/**
 * A timestamp from an Amazon export, in the storefront's local time. Exports write UTC (ISO 8601,
 * "MM/dd/yyyy HH:mm:ss UTC", "2018-11-09 13:30 UTC"); legacy reports and the JP extension write local dates.
 */
export function localDateTime(raw: string, timeZone: string): string | null {
  // "… and …" (two dates in one cell): the first. Most cells have one, and are only trimmed.
  const s = raw.includes(' and ') ? raw.trim().split(' and ')[0]!.trim() : raw.trim();
  if (!s || /^not (available|applicable)$/i.test(s)) return null;
  let utc: number | null = null;
  let m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|UTC|\+00:?00)?$/i.exec(s);
  if (m && m[7]) utc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0));
  else if (m) return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}`;
  m = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2}) UTC$/i.exec(s);
  if (m) utc = Date.UTC(+m[3]!, +m[1]! - 1, +m[2]!, +m[4]!, +m[5]!, +m[6]!);
  if (utc !== null) return new Date(utc + zoneOffset(utc, timeZone)).toISOString().slice(0, 16);
  const d = parseDate(s, 'mdy');
  return d ? `${d}T00:00` : null;
}

/** A statement descriptor as matching sees it: NFKC, upper-case, one space between words. */
export function normaliseDescriptor(s: string): string {
  return s
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\u3000]+/g, ' ')
    .trim();
}

// Reconciling compares the same few hundred dates hundreds of thousands of times: each is parsed once.
const midnights = new Map<string, number>();
/** Date.parse of the date's UTC midnight (NaN when it is not a date). */
export function utcMidnight(date: string): number {
  let t = midnights.get(date);
  if (t === undefined) {
    t = Date.parse(date + 'T00:00:00Z');
    if (midnights.size >= 100_000) midnights.clear();
    midnights.set(date, t);
  }
  return t;
}

export function daysBetween(a: string, b: string): number {
  return Math.round((utcMidnight(b) - utcMidnight(a)) / 86_400_000);
}

export function addDays(date: string, days: number): string {
  const t = Date.parse(date + 'T00:00:00Z') + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Rounds to the currency's unit (yen) or cent, so sums compare exactly. */
export function roundMoney(v: number, currency: string): number {
  return currency === 'JPY' ? Math.round(v) : Math.round(v * 100) / 100;
}

/** A short stable hash (FNV-1a, 52 bits) for natural keys. */
export function stableKey(...parts: (string | number | null)[]): string {
  // Kept as signed 32-bit integers while hashing (Math.imul works modulo 2^32 either way) and read unsigned at the
  // end: the same hash, without a heap number per character.
  let h1 = 0x811c9dc5 | 0;
  let h2 = 0x01000193 | 0;
  // The parts joined by U+001F (null as U+0000), hashed as they come rather than joined first (one string less per
  // record of a 100 MB export).
  for (let k = 0; k < parts.length; k++) {
    if (k > 0) {
      h1 = Math.imul(h1 ^ 0x1f, 16777619);
      h2 = Math.imul(h2 ^ 0x1f, 2246822519);
    }
    const p = parts[k];
    const s = p === null ? '\u0000' : String(p);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 16777619);
      h2 = Math.imul(h2 ^ c, 2246822519);
    }
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 & 0xfffff).toString(16).padStart(5, '0');
}
