/**
 * Which language a mail is written in, roughly: enough to tell which storefront of a brand it claims to be
 * (German Amazon mail → amazon-de). Japanese by its kana, Arabic by its script, Latin-script languages by their
 * common words (data/lists/words-<lang>.yaml).
 */

const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/gu;
const ARABIC = /\p{Script=Arabic}/gu;
const WORD = /[\p{L}]+/gu;

/** The word lists, from `words-<lang>` lists (lists compiled to sets). */
export function languageWords(
  lists: ReadonlyMap<string, ReadonlySet<string>>,
): [string, ReadonlySet<string>][] {
  return [...lists].filter(([id]) => id.startsWith('words-')).map(([id, words]) => [id.slice(6), words]);
}

/** Kana enough for the mail to be Japanese. */
export function isJapanese(text: string): boolean {
  return (text.match(KANA)?.length ?? 0) >= 10;
}

/**
 * The two-letter language of a text, or null when nothing tells. A Latin-script language needs three of its
 * words and more than any other language has.
 */
export function guessLanguage(text: string, words: readonly [string, ReadonlySet<string>][]): string | null {
  if (isJapanese(text)) return 'ja';
  if ((text.match(ARABIC)?.length ?? 0) >= 20) return 'ar';
  const counts = new Map<string, number>();
  for (const m of text.toLowerCase().matchAll(WORD)) {
    for (const [lang, set] of words) if (set.has(m[0])) counts.set(lang, (counts.get(lang) ?? 0) + 1);
  }
  const ranked = [...counts].sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  if (!best || best[1] < 3 || (second && second[1] === best[1])) return null;
  return best[0];
}
