import { describe, expect, it } from 'vitest';
import { readRawKnowledge } from '#adapters/knowledge/source.ts';
import { validateKnowledge } from '#core/knowledge/validate.ts';

const raw = readRawKnowledge();
const merchantFile = (id: string) => raw.merchants.find((f) => (f.data as { id?: string }).id === id)!;
const copyOf = (id: string, change: Record<string, unknown>) => {
  const f = merchantFile(id);
  return { file: f.file.replace(/[^/]+$/, 'copy.yaml'), data: { ...(f.data as object), ...change } };
};
const problemsOf = (knowledge: typeof raw): string[] => {
  try {
    validateKnowledge(knowledge);
    return [];
  } catch (e) {
    return (e as { problems?: string[] }).problems ?? [String(e)];
  }
};

describe('the knowledge validator', () => {
  it('accepts the knowledge as it is', () => {
    expect(problemsOf(raw)).toEqual([]);
  });

  it('refuses a merchant profile that does not fit the schema, instead of leaving it out', () => {
    const broken = {
      ...merchantFile('amazon-jp'),
      data: { ...(merchantFile('amazon-jp').data as object), region: 'mars' },
    };
    const problems = problemsOf({
      ...raw,
      merchants: raw.merchants.map((f) => (f === merchantFile('amazon-jp') ? broken : f)),
    });
    expect(problems.some((p) => p.includes('region'))).toBe(true);
  });

  it('refuses two profiles with one id, or one name (as written or in English)', () => {
    expect(problemsOf({ ...raw, merchants: [...raw.merchants, copyOf('amazon-jp', {})] })).toContainEqual(
      expect.stringMatching(/duplicate merchant id amazon-jp/),
    );
    expect(
      problemsOf({ ...raw, merchants: [...raw.merchants, copyOf('amazon-jp', { id: 'amazon-jp-2' })] }),
    ).toContainEqual(expect.stringMatching(/merchant amazon-jp-2: name .* is already the name of amazon-jp/));
    const rakuten = merchantFile('rakuten-card').data as { nameEn?: string };
    expect(rakuten.nameEn).toBeTruthy();
    expect(
      problemsOf({
        ...raw,
        merchants: [
          ...raw.merchants,
          copyOf('amazon-jp', { id: 'other-card', name: 'ほかのカード', nameEn: rakuten.nameEn }),
        ],
      }),
    ).toContainEqual(
      expect.stringMatching(/merchant other-card: name .* is already the name of rakuten-card/),
    );
  });
});
