import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { readRawKnowledge } from '#adapters/knowledge/source.ts';
import { validateRuleParams } from '#core/check/rule-validation.ts';
import { compileKnowledge, KnowledgeError } from '#core/knowledge/validate.ts';
import { ruleSchema } from '#core/knowledge/schema.ts';

const rule = {
  id: 'test.rule',
  severity: 'low',
  weight: 1,
  description: 'test',
  cases: [],
};

describe('rule validation at knowledge build', () => {
  it('a rule naming an unknown detector fails the rule schema', () => {
    expect(ruleSchema.safeParse({ ...rule, detector: 'no-such-detector' }).success).toBe(false);
    expect(ruleSchema.safeParse({ ...rule, detector: 'link-ip' }).success).toBe(true);
  });

  it('bad parameters are problems; good ones get their defaults', () => {
    const base = ruleSchema.parse({ ...rule, detector: 'link-off-brand' });
    const ok = validateRuleParams([base]);
    expect(ok.problems).toEqual([]);
    expect(ok.rules[0]!.params).toEqual({ ignore: [] });
    const bad = validateRuleParams([{ ...base, params: { ignore: 'x', extra: 1 } }]);
    expect(bad.rules).toEqual([]);
    expect(bad.problems).toHaveLength(1);
    expect(bad.problems[0]).toMatch(/^test\.rule: params: /);
  });

  it('compiled knowledge holds rules with validated parameters', () => {
    const phrases = loadKnowledge().rules.find((r) => r.detector === 'phrases');
    expect(phrases?.params).toMatchObject({ min: expect.any(Number), requireClaim: expect.any(Boolean) });
  });

  it('the build fails on a rule with bad parameters', () => {
    const raw = readRawKnowledge();
    const i = raw.rules.findIndex((f) => (f.data as { detector?: string }).detector === 'freemail');
    raw.rules[i] = { ...raw.rules[i]!, data: { ...(raw.rules[i]!.data as object), params: { list: 3 } } };
    expect(() => compileKnowledge(raw)).toThrow(KnowledgeError);
  });
});
