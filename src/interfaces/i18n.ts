import { brandName, withBrandNamed, type NamedBrand } from '#core/knowledge/brand-names.ts';
import type { Knowledge } from '#core/knowledge/compile.ts';
import { plainText } from '#core/report/report.ts';

export type Lang = 'ja' | 'en';
export const LANGS: readonly Lang[] = ['ja', 'en'];

export function isLang(s: string): s is Lang {
  return (LANGS as readonly string[]).includes(s);
}

function fill(template: string, params: Record<string, unknown>): string {
  return template.replace(/\{([a-zA-Z]+)\}/g, (_, k: string) =>
    // Values come from mails and file names: no control character reaches a terminal or a report through them.
    params[k] === undefined || params[k] === '' ? '—' : plainText(String(params[k])),
  );
}

/** Sentences come from data/messages/{ja,en}.yaml; a missing key shows itself rather than crashing. */
export function translator(knowledge: Knowledge, lang: Lang) {
  const m = knowledge.messages.get(lang)!;
  // A brand named in Japanese is said in English by its English name (`nameEn`), wherever a sentence names it.
  const localized = (params: Record<string, unknown>) => withBrandNamed(params, m.brands);
  return {
    lang,
    t(key: string, params: Record<string, unknown> = {}): string {
      const template = m.text[key];
      return template === undefined ? `[${key}]` : fill(template, localized(params));
    },
    finding(id: string, params: Record<string, unknown>): { title: string; detail: string } {
      const f = m.findings[id];
      if (!f) return { title: id, detail: '' };
      const p = localized(params);
      return { title: fill(f.title, p), detail: fill(f.detail, p) };
    },
    /** A brand's display name in this language. */
    brandName(x: NamedBrand): string {
      return brandName(x, lang);
    },
  };
}
export type Translator = ReturnType<typeof translator>;
