import { garbledShare } from '#core/mail/decode.ts';
import {
  foldText,
  isCombining,
  isInvisible,
  originalSpan,
  quote,
  type TextView,
} from '#core/text/normalize.ts';
import { isObfuscatedSpan, isOwnLink, watchedWords, type CheckContext } from '../context.ts';
import { MAX_HITS, fromLine, views } from './shared.ts';
import type { Detector, DetectorRegistry, Hit } from './types.ts';

// Several rules look for the same lists in the same fields: where a phrase stands in a text is found once per mail.
const phrasePositions = new WeakMap<TextView, { norm: Map<string, number>; compact: Map<string, number> }>();
function phraseAt(view: TextView, text: string, compact: boolean): number {
  let known = phrasePositions.get(view);
  if (!known) {
    known = { norm: new Map(), compact: new Map() };
    phrasePositions.set(view, known);
  }
  const positions = compact ? known.compact : known.norm;
  let at = positions.get(text);
  if (at === undefined) {
    at = (compact ? view.compact : view.norm).indexOf(text);
    positions.set(text, at);
  }
  return at;
}

/** Each distinct phrase of the lists found in the fields, after folding, with where it stands. */
export function phraseHits(ctx: CheckContext, listIds: readonly string[], fields: readonly string[]): Hit[] {
  const hits: Hit[] = [];
  const seen = new Set<string>();
  for (const listId of listIds) {
    const list = ctx.knowledge.phrases.get(listId);
    if (!list) throw new Error(`phrase list ${listId} is not defined`);
    for (const [field, view] of views(ctx, fields)) {
      for (const ph of list.phrases) {
        if (seen.has(ph.text)) continue;
        const at = phraseAt(view, ph.text, ph.compact);
        if (at < 0) continue;
        seen.add(ph.text);
        hits.push({
          evidence: `${field}: ${quote(view, at, at + ph.text.length, ph.compact)}`,
          params: { phrase: originalSpan(view, at, at + ph.text.length, ph.compact), field },
        });
      }
      for (const re of list.patterns) {
        re.lastIndex = 0;
        const m = re.exec(view.norm);
        if (!m || seen.has(re.source)) continue;
        seen.add(re.source);
        hits.push({
          evidence: `${field}: ${quote(view, m.index, m.index + m[0].length, false)}`,
          params: { phrase: originalSpan(view, m.index, m.index + m[0].length, false), field },
        });
      }
    }
  }
  return hits;
}

/**
 * Nothing authenticates the mail and a clickable link leaves the claimed brand's domains (`off-brand`, which needs a
 * claim) or every watched brand's (`foreign`).
 */
function hasLink(ctx: CheckContext, kind: 'foreign' | 'off-brand'): boolean {
  if (ctx.authenticated || (kind === 'off-brand' && !ctx.merchant)) return false;
  const scope = kind === 'foreign' ? { ...ctx, merchant: null } : ctx;
  return ctx.links.some(
    (l) =>
      (l.kind === 'anchor' || l.kind === 'text' || l.kind === 'form') &&
      l.host &&
      !isOwnLink(scope, l.domain),
  );
}

/** Phrase lists matched against subject and body, after folding. `min` distinct phrases must match. */
const phrases: Detector<'phrases'> = (ctx, p) => {
  if (p.requireClaim && !ctx.merchant) return [];
  if (p.requireLink !== 'none' && !hasLink(ctx, p.requireLink)) return [];
  const hits = phraseHits(ctx, p.lists, p.fields);
  return hits.length >= p.min
    ? hits.slice(0, MAX_HITS).map((h) => ({ ...h, params: { ...h.params, count: hits.length } }))
    : [];
};

const simplifiedChinese: Detector<'simplified-chinese'> = (ctx, p) => {
  if (!ctx.japanese) return [];
  const chars = ctx.knowledge.lists.get(p.list);
  if (!chars) throw new Error(`list ${p.list} is not defined`);
  const found = new Map<string, Hit>();
  for (const [field, view] of views(ctx, p.fields)) {
    const text = view.original;
    for (let i = 0; i < text.length && found.size < 20; i++) {
      const ch = text[i]!;
      if (!chars.has(ch) || found.has(ch)) continue;
      found.set(ch, {
        evidence: `${field}: …${text.slice(Math.max(0, i - 12), i + 12).replace(/\s+/g, ' ')}…`,
        params: { chars: ch, field },
      });
    }
  }
  if (found.size < p.minDistinct) return [];
  const all = [...found.keys()].join('');
  return [...found.values()].slice(0, MAX_HITS).map((h) => ({ ...h, params: { ...h.params, chars: all } }));
};

/** Kana reading written right before its own kanji (「じかん時間」), or hiragana stretched with ー (「じょーほー」) before kanji. */
const kanaInjection: Detector<'kana-injection'> = (ctx, p) => {
  const readings = ctx.knowledge.lists.get(p.list);
  if (!readings) throw new Error(`list ${p.list} is not defined`);
  const hits: Hit[] = [];
  for (const [field, view] of views(ctx, ['subject', 'body'])) {
    const text = view.compact;
    for (const item of readings) {
      const [kanji, alts] = item.split(':') as [string, string];
      for (const reading of alts.split('|')) {
        const needle = reading + kanji;
        const at = text.indexOf(needle);
        if (at >= 0)
          hits.push({
            evidence: `${field}: ${quote(view, at, at + needle.length, true)}`,
            params: { pair: needle, field },
          });
      }
    }
    for (const m of text.matchAll(/[ぁ-ゖ]{1,6}ー[ぁ-ゖー]{0,6}[\u4e00-\u9fff]/gu)) {
      hits.push({
        evidence: `${field}: ${quote(view, m.index, m.index + m[0].length, true)}`,
        params: { pair: m[0], field },
      });
    }
  }
  const unique = [...new Map(hits.map((h) => [h.params!.pair, h])).values()];
  return unique.length >= p.min ? unique.slice(0, MAX_HITS) : [];
};

/** Zero-width and combining characters inside words: they split a word so filters do not see it. */
const invisibleChars: Detector<'invisible-chars'> = (ctx, p) => {
  const hits: Hit[] = [];
  let count = 0;
  const sources: [string, string][] = [
    ['from', ctx.mail.fromNames.length ? ctx.mail.fromNames.join(', ') : (ctx.mail.from?.name ?? '')],
    ['subject', ctx.mail.subject],
    ['body', ctx.body.original],
  ];
  for (const [field, text] of sources) {
    const chars = [...text];
    let firstAt = -1;
    let n = 0;
    // The end of the current run of marks, found once per run (a scan per mark was quadratic: a hang).
    let j = 0;
    for (let i = 1; i < chars.length - 1; i++) {
      const c = chars[i]!;
      if (!(isInvisible(c) || isCombining(c))) continue;
      const before = chars[i - 1]!;
      // Invisible or combining marks between two letters; ordinary accents on Latin letters are left alone.
      if (j <= i) {
        j = i + 1;
        while (j < chars.length && (isInvisible(chars[j]!) || isCombining(chars[j]!))) j++;
      }
      const after = chars[j] ?? '';
      const letter = /[\p{L}\p{N}]/u;
      if (!letter.test(before) || !letter.test(after)) continue;
      // (U+034F, the grapheme joiner, sits in that block but renders as nothing: it only splits.)
      if (!isInvisible(c) && isCombining(c) && /[\u0300-\u036F]/.test(c) && /[a-zA-Z]/.test(before)) continue;
      n++;
      if (firstAt < 0) firstAt = i;
    }
    if (n > 0) {
      count += n;
      const around = chars.slice(Math.max(0, firstAt - 8), firstAt + 16).join('');
      const shown = [...around]
        .map((c) =>
          isInvisible(c) || isCombining(c)
            ? `<U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`
            : c,
        )
        .join('');
      hits.push({ evidence: `${field}: ${shown.replace(/\s+/g, ' ')}`, params: { field, count: n } });
    }
  }
  return count >= p.min ? hits : [];
};

/** The brand written with look-alike letters, spaced out, or split by invisible characters. */
const brandObfuscation: Detector<'brand-obfuscation'> = (ctx) => {
  const hits: Hit[] = [];
  const words = watchedWords(ctx.knowledge.merchants).lookalike;
  for (const [field, view] of views(ctx, ['subject', 'body'])) {
    for (const w of new Set(words)) {
      let at = view.compact.indexOf(w);
      while (at >= 0 && hits.length < MAX_HITS) {
        const span = originalSpan(view, at, at + w.length, true);
        if (isObfuscatedSpan(span, w)) {
          hits.push({ evidence: `${field}: ${span}`, params: { written: span, field } });
        }
        at = view.compact.indexOf(w, at + w.length);
      }
    }
  }
  const name = ctx.mail.from?.name ?? '';
  const foldedName = foldText(name, ctx.knowledge.folding);
  for (const w of new Set(words)) {
    if (foldedName.includes(w) && !name.normalize('NFKC').toLowerCase().includes(w))
      hits.push({ evidence: fromLine(ctx), params: { written: name, field: 'from' } });
    else if (/(?:^|\s)(\p{L}\s){4,}\p{L}/u.test(name) && foldedName.replace(/\s/g, '').includes(w))
      hits.push({ evidence: fromLine(ctx), params: { written: name, field: 'from' } });
  }
  return hits.slice(0, MAX_HITS);
};

const mojibake: Detector<'mojibake'> = (ctx, p) => {
  const hits: Hit[] = [];
  for (const [field, view] of views(ctx, ['subject', 'body'])) {
    const share = garbledShare(view.original);
    if (share >= p.minShare || (share > 0 && field === 'subject')) {
      const i = view.original.indexOf('\uFFFD');
      hits.push({
        evidence: `${field}: ${view.original.slice(Math.max(0, i - 15), i + 15).replace(/\s+/g, ' ')}`,
        params: { field },
      });
    }
  }
  return hits;
};

/** What the subject and body say and how they are written: phrases, foreign forms, hidden characters. */
export const textDetectors = {
  phrases,
  'simplified-chinese': simplifiedChinese,
  'kana-injection': kanaInjection,
  'invisible-chars': invisibleChars,
  'brand-obfuscation': brandObfuscation,
  mojibake,
} satisfies Partial<DetectorRegistry>;
