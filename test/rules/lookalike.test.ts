import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { loadKnowledgeSpec } from '#adapters/knowledge/source.ts';
import { lookalikeWords } from '#core/check/context.ts';

const knowledge = loadKnowledge();
// The cases are in data/ only; the built knowledge the check runs on carries none.
const { cases } = loadKnowledgeSpec().lookalike;

describe('data/lists/lookalike.yaml cases', () => {
  it('has cases of both kinds', () => {
    const kinds = new Set(cases.map((c) => c.expect));
    expect([...kinds].sort()).toEqual(['hit', 'miss']);
  });
  for (const c of cases) {
    it(`${c.word} ${c.expect === 'hit' ? 'imitates' : 'does not imitate'} ${c.brand}`, () => {
      const found = lookalikeWords(c.word, [c.brand], knowledge.lookalike);
      expect(found.length > 0).toBe(c.expect === 'hit');
    });
  }
});
