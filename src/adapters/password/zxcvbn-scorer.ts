import type { PasswordScore, PasswordScorer } from '#core/ports/password-scorer.ts';

type Zxcvbn = (
  password: string,
  userInputs: (string | number)[],
) => {
  score: number;
  sequence: { pattern: string; token: string; dictionaryName?: string }[];
  feedback: { warning: string | null };
};

let loading: Promise<Zxcvbn> | null = null;

// The dictionaries weigh several MB: they are loaded on the first checkup, never by the mail check. The feedback
// (warning) is worded in the person's language: zxcvbn's options are global, and one process speaks one language.
function load(lang: 'ja' | 'en'): Promise<Zxcvbn> {
  loading ??= (async () => {
    const [core, common, ja, en] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
      import('@zxcvbn-ts/language-ja'),
      import('@zxcvbn-ts/language-en'),
    ]);
    core.zxcvbnOptions.setOptions({
      dictionary: { ...common.dictionary, ...ja.dictionary, ...en.dictionary },
      graphs: common.adjacencyGraphs,
      translations: lang === 'ja' ? ja.translations : en.translations,
    });
    return core.zxcvbn as unknown as Zxcvbn;
  })();
  return loading;
}

/** zxcvbn (with the Japanese dictionary) as the checkup's PasswordScorer; its feedback in `lang`. */
export function zxcvbnScorer(lang: 'ja' | 'en' = 'ja'): PasswordScorer {
  return {
    async score(password, userInputs): Promise<PasswordScore> {
      const zxcvbn = await load(lang);
      const r = zxcvbn(password, [...userInputs]);
      return {
        score: r.score,
        sequence: r.sequence.map((m) => ({
          pattern: m.pattern,
          token: m.token,
          ...(m.dictionaryName ? { dictionaryName: m.dictionaryName } : {}),
        })),
        warning: r.feedback.warning ?? '',
      };
    },
  };
}
