import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { ruleProblems } from '#core/check/rule-validation.ts';

const knowledge = loadKnowledge();

describe('knowledge in data/', () => {
  it('every rule names a detector that exists, with valid parameters', () => {
    expect(ruleProblems(knowledge)).toEqual([]);
  });

  for (const lang of ['ja', 'en'] as const) {
    it(`every rule has a title and a detail in ${lang}`, () => {
      const m = knowledge.messages.get(lang)!;
      const missing = knowledge.rules
        .map((r) => r.id)
        .filter((id) => !m.findings[id]?.title || !m.findings[id]?.detail);
      expect(missing).toEqual([]);
    });
  }

  it('ja and en have the same message keys', () => {
    const ja = knowledge.messages.get('ja')!;
    const en = knowledge.messages.get('en')!;
    expect(Object.keys(ja.text).sort()).toEqual(Object.keys(en.text).sort());
    expect(Object.keys(ja.findings).sort()).toEqual(Object.keys(en.findings).sort());
  });

  it('has no messages for rules that do not exist', () => {
    const ids = new Set(knowledge.rules.map((r) => r.id));
    expect(Object.keys(knowledge.messages.get('ja')!.findings).filter((id) => !ids.has(id))).toEqual([]);
  });
});

describe('messages split over several files', () => {
  it('merges the files of one language, and refuses a key defined twice', async () => {
    const { readRawKnowledge } = await import('#adapters/knowledge/source.ts');
    const { validateKnowledge } = await import('#core/knowledge/validate.ts');
    const raw = readRawKnowledge();
    const extra = (lang: 'ja' | 'en', key: string) => ({
      file: `data/messages/${lang}-extra.yaml`,
      data: { lang, text: { [key]: 'x' } },
    });
    const merged = validateKnowledge({
      ...raw,
      messages: [...raw.messages, extra('ja', 'test.only-here'), extra('en', 'test.only-here')],
    });
    expect(merged.messages.ja.text['test.only-here']).toBe('x');
    expect(Object.keys(merged.messages.ja.findings).length).toBeGreaterThan(10);
    const taken = Object.keys(merged.messages.ja.text)[0]!;
    expect(() => validateKnowledge({ ...raw, messages: [...raw.messages, extra('ja', taken)] })).toThrow(
      /defined twice/,
    );
  });
});
