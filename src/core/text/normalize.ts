/**
 * Text as the rules see it. Phishers split words with zero-width characters, write the brand with Cyrillic or
 * full-width letters, and insert spaces; a rule must match through all of that and still quote the original.
 * A `TextView` keeps the normalised text together with, for each normalised character, its offset in the
 * original, so evidence is always the exact original text.
 */

/** Characters that render as nothing: zero-width spaces and joiners, bidi controls, soft hyphen, BOM, variation selectors. */
const INVISIBLE_RANGES: readonly [number, number][] = [
  [0x00ad, 0x00ad],
  [0x034f, 0x034f],
  [0x061c, 0x061c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180e, 0x180e],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x2064],
  [0x206a, 0x206f],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
];
const COMBINING = /\p{M}/u;
const SPACE = /[\s\u3000]/u;

export type Folding = ReadonlyMap<string, string>;

export interface TextView {
  readonly original: string;
  /** NFKC, confusables folded, lower-case, invisible characters and combining marks removed, spaces collapsed. */
  readonly norm: string;
  /** `norm` without any spaces: Japanese is matched here, where a space is never meaningful. */
  readonly compact: string;
  readonly normToOriginal: Uint32Array;
  readonly compactToOriginal: Uint32Array;
}

export function isInvisible(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  if (c < 0xad) return false;
  for (const [a, b] of INVISIBLE_RANGES) if (c >= a && c <= b) return true;
  return false;
}

export function isCombining(ch: string): boolean {
  // Japanese voiced sound marks compose with the kana before them under NFKC, so they are not noise.
  return ch !== '\u3099' && ch !== '\u309A' && COMBINING.test(ch);
}

export function foldChar(ch: string, folding: Folding): string {
  const n = ch.normalize('NFKC');
  let out = '';
  for (const c of n) out += folding.get(c) ?? c;
  return out.toLowerCase();
}

function isSpace(ch: string): boolean {
  const c = ch.charCodeAt(0);
  if (c < 0x80) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  return SPACE.test(ch);
}

// What one character folds to ('' when it is invisible or a combining mark), per folding table. The result of a
// character never changes, and a mail repeats few distinct characters, so each is worked out once; the cache is
// bounded so a text of every code point cannot grow it without end.
const FOLD_CACHE_MAX = 50_000;
const foldCaches = new WeakMap<Folding, Map<string, string>>();

function foldedOf(ch: string, folding: Folding): string {
  let cache = foldCaches.get(folding);
  if (!cache) {
    cache = new Map();
    foldCaches.set(folding, cache);
  }
  let f = cache.get(ch);
  if (f === undefined) {
    f = isInvisible(ch) || isCombining(ch) ? '' : foldChar(ch, folding);
    if (cache.size < FOLD_CACHE_MAX) cache.set(ch, f);
  }
  return f;
}

/** Folds a short string (a display name, a host) for comparison; no offsets kept. */
export function foldText(s: string, folding: Folding): string {
  let out = '';
  for (const ch of s) out += foldedOf(ch, folding);
  return out;
}

// eslint-disable-next-line no-control-regex
const ASCII_ONLY = /^[\x00-\x7F]*$/;

export function makeTextView(original: string, folding: Folding): TextView {
  const normParts: string[] = [];
  const normMap: number[] = [];
  const ascii = ASCII_ONLY.test(original);
  let lastSpace = true;
  let i = 0;
  for (const ch of original) {
    const at = i;
    i += ch.length;
    if (isSpace(ch)) {
      if (!lastSpace) {
        normParts.push(' ');
        normMap.push(at);
        lastSpace = true;
      }
      continue;
    }
    if (ascii) {
      normParts.push(ch.toLowerCase());
      normMap.push(at);
      lastSpace = false;
      continue;
    }
    // Half-width voiced marks compose with the preceding kana (ｶﾞ → ガ). (They are neither invisible nor
    // combining, so testing them first changes nothing.)
    if ((ch === '\uFF9E' || ch === '\uFF9F') && normParts.length > 0) {
      const prev = normParts[normParts.length - 1]!;
      normParts[normParts.length - 1] = (prev + (ch === '\uFF9E' ? '\u3099' : '\u309A')).normalize('NFC');
      continue;
    }
    const folded = foldedOf(ch, folding);
    if (folded.length === 1) {
      if (isSpace(folded)) {
        if (lastSpace) continue;
        normParts.push(' ');
        normMap.push(at);
        lastSpace = true;
        continue;
      }
      normParts.push(folded);
      normMap.push(at);
      lastSpace = false;
      continue;
    }
    for (const f of folded) {
      if (isSpace(f)) {
        if (lastSpace) continue;
        normParts.push(' ');
        normMap.push(at);
        lastSpace = true;
        continue;
      }
      normParts.push(f);
      normMap.push(at);
      lastSpace = false;
    }
  }
  const norm = normParts.join('');
  // normParts holds one string per code point; rebuild offsets per UTF-16 unit of `norm`.
  const normToOriginal = new Uint32Array(norm.length + 1);
  let u = 0;
  for (let k = 0; k < normParts.length; k++) {
    const part = normParts[k]!;
    for (let j = 0; j < part.length; j++) normToOriginal[u++] = normMap[k]!;
  }
  normToOriginal[u] = original.length;

  const compactChars: string[] = [];
  const compactMap: number[] = [];
  for (let k = 0; k < norm.length; k++) {
    const c = norm[k]!;
    if (c === ' ') continue;
    compactChars.push(c);
    compactMap.push(normToOriginal[k]!);
  }
  const compact = compactChars.join('');
  const compactToOriginal = new Uint32Array(compact.length + 1);
  compactToOriginal.set(compactMap);
  compactToOriginal[compact.length] = original.length;
  return { original, norm, compact, normToOriginal, compactToOriginal };
}

/** The original text behind [start, end) of a normalised view, with a little context, on one line. */
export function quote(view: TextView, start: number, end: number, compact: boolean, context = 20): string {
  const map = compact ? view.compactToOriginal : view.normToOriginal;
  const len = compact ? view.compact.length : view.norm.length;
  const from = map[Math.max(0, Math.min(start, len))]!;
  const lastIdx = Math.max(start, Math.min(end, len) - 1);
  const lastStart = map[lastIdx]!;
  // Include the whole last original character (it may be a surrogate pair).
  const cp = view.original.codePointAt(lastStart);
  const to = end >= len ? view.original.length : lastStart + (cp !== undefined && cp > 0xffff ? 2 : 1);
  const a = Math.max(0, from - context);
  const b = Math.min(view.original.length, to + context);
  const oneLine = (s: string) => s.replace(/\s+/gu, ' ');
  return (
    (a > 0 ? '…' : '') + oneLine(view.original.slice(a, b)).trim() + (b < view.original.length ? '…' : '')
  );
}

/** The exact original text behind [start, end) of a view, without context. */
export function originalSpan(view: TextView, start: number, end: number, compact: boolean): string {
  const map = compact ? view.compactToOriginal : view.normToOriginal;
  const len = compact ? view.compact.length : view.norm.length;
  const from = map[Math.max(0, Math.min(start, len))]!;
  const to = end >= len ? view.original.length : map[end]!;
  return view.original.slice(from, to).replace(/\s+/gu, ' ').trim();
}
