/**
 * Which characters of an address, a link or a sender's name the page marks in red as "not the letter it looks
 * like". An address or a link (strict) has nothing but plain ASCII in a genuine mail, so anything else is marked.
 * A name or a text read from a picture (lenient) is written in Japanese as often as not: kana, kanji, hangul and
 * the ordinary full-width punctuation of Japanese writing are not look-alikes, and neither is a space; Latin letters
 * with marks, Cyrillic or Greek letters, full-width Latin letters and digits, invisible characters and the like are.
 */

export type OddMode = 'strict' | 'lenient';

const PLAIN = /^[\x20-\x7e]$/;
// Japanese and other CJK writing, its punctuation (U+3000–U+303F: 、。「」 and the ideographic space), the long-vowel
// mark, half-width katakana.
const CJK =
  /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\u30fb\u30fc\uff61-\uff9f]$/u;
// Full-width forms (U+FF01–U+FF5E) of ASCII: the letters, the digits and what an address is built of stay marked
// (ａｍａｚｏｎ＠…); the rest is ordinary Japanese punctuation ((株)、！、？).
const FULLWIDTH_ADDRESSLIKE =
  /^[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff20\uff0e\uff0f\uff1a\uff0d\uff3f]$/u;

export function isOddChar(ch: string, mode: OddMode): boolean {
  if (PLAIN.test(ch)) return false;
  if (mode === 'strict') return true;
  if (CJK.test(ch)) return false;
  const c = ch.codePointAt(0)!;
  if (c >= 0xff01 && c <= 0xff5e) return FULLWIDTH_ADDRESSLIKE.test(ch);
  return true;
}

/** A text cut into plain runs and marked characters. A sender ("Name <address>") is lenient up to its address. */
export function oddParts(text: string, mode: OddMode | 'sender'): { text: string; odd: boolean }[] {
  const at = mode === 'sender' ? text.lastIndexOf('<') : -1;
  const parts: { text: string; odd: boolean }[] = [];
  let plain = '';
  let i = 0;
  for (const ch of text) {
    const m: OddMode = mode === 'sender' ? (at >= 0 && i >= at ? 'strict' : 'lenient') : mode;
    i += ch.length;
    if (isOddChar(ch, m)) {
      if (plain) parts.push({ text: plain, odd: false });
      plain = '';
      parts.push({ text: ch, odd: true });
    } else plain += ch;
  }
  if (plain) parts.push({ text: plain, odd: false });
  return parts;
}
