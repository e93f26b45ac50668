import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { brandName, brandNamesIn, withBrandNamed } from '#core/knowledge/brand-names.ts';
import { translator } from '#interfaces/i18n.ts';

const knowledge = loadKnowledge();
const rakuten = knowledge.merchants.find((m) => m.id === 'rakuten-card')!;

describe('a brand named in the sentence’s language', () => {
  it('a profile’s English name in English, its name in Japanese (and where it has no English name)', () => {
    expect(brandName(rakuten, 'en')).toBe('Rakuten Card');
    expect(brandName(rakuten, 'ja')).toBe('楽天カード');
    expect(brandName({ name: 'PayPal' }, 'en')).toBe('PayPal');
  });

  it('the built messages carry, per language, the names that read otherwise there', () => {
    const en = knowledge.messages.get('en')!.brands;
    expect(en['楽天カード']).toBe('Rakuten Card');
    expect(en['三井住友カード']).toBe('Sumitomo Mitsui Card');
    expect(en).not.toHaveProperty('PayPal');
    expect(knowledge.messages.get('ja')!.brands).toEqual({});
    expect(en).toEqual(brandNamesIn(knowledge.merchants, 'en'));
  });

  it('no two profiles share a name (a finding’s brand parameter names one profile)', () => {
    const names = knowledge.merchants.map((m) => m.name);
    expect(names.length).toBe(new Set(names).size);
  });

  it('only the brand parameter changes, and only for a name a profile has', () => {
    const names = brandNamesIn(knowledge.merchants, 'en');
    expect(withBrandNamed({ brand: '楽天カード', phrase: '楽天カード', hits: 1 }, names)).toEqual({
      brand: 'Rakuten Card',
      phrase: '楽天カード',
      hits: 1,
    });
    const unknown = { brand: '知らない会社', domain: 'example.jp' };
    expect(withBrandNamed(unknown, names)).toBe(unknown);
    expect(withBrandNamed({ domain: 'example.jp' }, names)).toEqual({ domain: 'example.jp' });
    // A name that is also an Object property must not be taken for a brand.
    expect(withBrandNamed({ brand: 'constructor' }, names)).toEqual({ brand: 'constructor' });
  });

  it('the CLI’s sentences use it: a finding on 楽天カード reads Rakuten Card in English, 楽天カード in Japanese', () => {
    const params = { brand: '楽天カード', domain: 'rakuten-card-security.xyz' };
    const en = translator(knowledge, 'en').finding('sender.brand-name-foreign-domain', params);
    expect(`${en.title} ${en.detail}`).toContain('Rakuten Card');
    expect(`${en.title} ${en.detail}`).not.toContain('楽天カード');
    const ja = translator(knowledge, 'ja').finding('sender.brand-name-foreign-domain', params);
    expect(ja.title).toContain('楽天カード');
  });
});
