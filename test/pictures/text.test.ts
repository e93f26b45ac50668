import { describe, expect, it } from 'vitest';
import { joinWords, pictureText, readItems } from '#core/check/pictures.ts';
import type { OcrLine } from '#core/ports/image-reader.ts';

const line = (...words: (string | [string, number])[]): OcrLine => ({
  words: words.map((w) =>
    typeof w === 'string' ? { text: w, confidence: 95 } : { text: w[0], confidence: w[1] },
  ),
});

describe('what OCR read, as text', () => {
  it('drops the spaces OCR puts between Japanese characters, keeps those between Latin words', () => {
    expect(joinWords(line('お', '客', '様', 'の', 'アカ', 'ウン', 'ト').words)).toBe('お客様のアカウント');
    expect(joinWords(line('【Amazon】', 'お', '支払い').words)).toBe('【Amazon】お支払い');
    expect(joinWords(line('Your', 'account', 'is', 'locked').words)).toBe('Your account is locked');
  });

  it('joins a URL, a phone number and Japanese text that a phone wrapped at the edge', () => {
    const text = pictureText([
      line('下記', 'より', '更新', 'して', 'くだ', 'さい', '。', 'https://amazon-c'),
      line('o-jp.account-verify.top/login'),
      line('本日', '中', 'に', 'サポート', 'センター', 'まで', 'お', '電話', '窓口', '050-'),
      line('3184-2760'),
    ]);
    expect(text).toContain('https://amazon-co-jp.account-verify.top/login');
    expect(text).toContain('窓口050-3184-2760');
  });

  it('does not join a short line, nor a new sentence after a URL', () => {
    const text = pictureText([
      line('Verify', 'your', 'details', 'within', '24', 'hours', 'at:', 'ht'),
      line('tps://amazon.account-secure.xyz/verify'),
      line('If', 'you', 'did', 'not', 'do', 'this,', 'call', 'us', 'at', 'once'),
      line('Thanks'),
      line('Ken'),
    ]);
    expect(text.split('\n')).toEqual([
      'Verify your details within 24 hours at: https://amazon.account-secure.xyz/verify',
      'If you did not do this, call us at once',
      'Thanks',
      'Ken',
    ]);
  });

  it('lists URLs, phone numbers and addresses as read, with the lowest confidence of their words', () => {
    const items = readItems(
      [
        line('From:', 'Amazon', ['<service@amazon-account-hel', 78]),
        line(['p.xy2>', 33]),
        line('Call', '0120-958-314', ['https://amaz0n.example/verify', 91]),
      ],
      80,
    );
    expect(items).toEqual([
      { kind: 'url', text: 'https://amaz0n.example/verify', confidence: 91, uncertain: false },
      { kind: 'email', text: 'service@amazon-account-help.xy2', confidence: 33, uncertain: true },
      { kind: 'phone', text: '0120-958-314', confidence: 95, uncertain: false },
    ]);
  });
});
