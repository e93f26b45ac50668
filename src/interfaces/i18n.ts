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
  return {
    lang,
    t(key: string, params: Record<string, unknown> = {}): string {
      const template = m.text[key];
      return template === undefined ? `[${key}]` : fill(template, params);
    },
    finding(id: string, params: Record<string, unknown>): { title: string; detail: string } {
      const f = m.findings[id];
      if (!f) return { title: id, detail: '' };
      return { title: fill(f.title, params), detail: fill(f.detail, params) };
    },
  };
}
export type Translator = ReturnType<typeof translator>;
