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
