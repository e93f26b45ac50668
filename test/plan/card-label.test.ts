import { describe, expect, it } from 'vitest';
import { cardLabel } from '#core/report/documents.ts';

describe('the card line of a report', () => {
  it('names the issuer once when the card name already holds it', () => {
    expect(cardLabel({ issuer: '三井住友カード', name: '三井住友カード(NL)' })).toBe('三井住友カード(NL)');
    expect(cardLabel({ issuer: 'JCB', name: 'ＪＣＢ ＣＡＲＤ Ｗ' })).toBe('ＪＣＢ ＣＡＲＤ Ｗ');
  });
  it('keeps both when they differ, and either alone', () => {
    expect(cardLabel({ issuer: '楽天カード', name: 'ANA VISA' })).toBe('楽天カード ANA VISA');
    expect(cardLabel({ issuer: 'JCB' })).toBe('JCB');
    expect(cardLabel({ name: 'Amazon Mastercard' })).toBe('Amazon Mastercard');
    expect(cardLabel({})).toBe('');
  });
});
