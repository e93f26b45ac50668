/**
 * The page's sentences: every text of data/messages (the core's keys, for verdicts, findings, plan words, and the
 * page's own `web.*` keys from data/messages/{ja,en}-web.yaml), built into dist/knowledge/messages.<lang>.json and
 * loaded into i18next. Japanese is the default; the choice is kept on this device (localStorage).
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { withBrandNamed } from '#core/knowledge/brand-names.ts';
import messagesJa from 'mamori:knowledge/messages.ja';
import messagesEn from 'mamori:knowledge/messages.en';

export type Lang = 'ja' | 'en';

function resources(m: typeof messagesJa) {
  const findings: Record<string, string> = {};
  for (const [id, f] of Object.entries(m.findings)) {
    findings[`${id}.title`] = f.title;
    findings[`${id}.detail`] = f.detail;
  }
  return { text: m.text, findings };
}

export function initialLang(): Lang {
  const kept = globalThis.localStorage?.getItem('mamori.lang');
  return kept === 'en' || kept === 'ja' ? kept : 'ja';
}

export function setupI18n(lang: Lang) {
  void i18next.use(initReactI18next).init({
    lng: lang,
    fallbackLng: 'ja',
    resources: { ja: resources(messagesJa), en: resources(messagesEn) },
    ns: ['text', 'findings'],
    defaultNS: 'text',
    keySeparator: false,
    nsSeparator: false,
    // The core's templates write {name}; React escapes what it shows, so i18next does not escape again.
    interpolation: { prefix: '{', suffix: '}', escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  document.documentElement.lang = lang;
  return i18next;
}

export function switchLang(lang: Lang) {
  globalThis.localStorage?.setItem('mamori.lang', lang);
  document.documentElement.lang = lang;
  void i18next.changeLanguage(lang);
}

/**
 * A sentence's parameters as the page shows them: the brand a finding names (the profile's name, 楽天カード) said
 * in the page's language (Rakuten Card), as the CLI says it (`withBrandNamed`, on the names built into messages).
 */
export function sentenceParams<P extends Record<string, unknown>>(params: P, lang: Lang): P {
  return withBrandNamed(params, (lang === 'en' ? messagesEn : messagesJa).brands);
}
