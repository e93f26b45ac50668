import { describe, expect, it } from 'vitest';
import { isOddChar, oddParts } from '#interfaces/web/ui/lookalike.ts';

const marked = (text: string, mode: Parameters<typeof oddParts>[1]) =>
  oddParts(text, mode)
    .filter((p) => p.odd)
    .map((p) => p.text)
    .join('');

describe('the look-alike marks of the check page', () => {
  it('never marks the spaces, brackets or quotes of an ordinary sender', () => {
    expect(marked('Amazon.com Billing <billing@amazon.com>', 'sender')).toBe('');
    expect(marked('"Amazon.co.jp" <auto-confirm@amazon.co.jp>', 'sender')).toBe('');
  });

  it('leaves a Japanese sender name alone, and marks what does not belong in its address', () => {
    expect(marked('Amazon.co.jp カスタマーサービス（株） <cs@amazon.co.jp>', 'sender')).toBe('');
    expect(marked('アマゾン <cs@amazоn.co.jp>', 'sender')).toBe('о'); // Cyrillic о in the address
    expect(marked('楽天カード　お知らせ <info@mail.rakuten-card.co.jp>', 'sender')).toBe('');
  });

  it('marks look-alike letters in a name: Cyrillic, Latin with marks, full-width Latin, invisible characters', () => {
    expect(marked('Аmazon <a@b.example>', 'sender')).toBe('А'); // Cyrillic А
    expect(marked('Amazоn Prіme', 'lenient')).toBe('оі');
    expect(marked('Amazön', 'lenient')).toBe('ö');
    expect(marked('ａｍａｚｏｎ', 'lenient')).toBe('ａｍａｚｏｎ');
    expect(marked('Ama\u200bzon', 'lenient')).toBe('\u200b');
    expect(marked('Ama\u034fzon', 'lenient')).toBe('\u034f');
  });

  it('marks everything that is not plain ASCII in an address or a link', () => {
    expect(marked('amazon.co.jp', 'strict')).toBe('');
    expect(marked('https://www.amazon.co.jp/gp/css/order-history?ref_=a&b=1', 'strict')).toBe('');
    expect(marked('аmazon.co.jp', 'strict')).toBe('а');
    expect(marked('例え.jp', 'strict')).toBe('例え');
    expect(isOddChar(' ', 'strict')).toBe(false);
  });

  it('keeps the text whole: the parts joined are the text', () => {
    const text = 'Amazоn 「お知らせ」 <x@аmazon.example>';
    expect(
      oddParts(text, 'sender')
        .map((p) => p.text)
        .join(''),
    ).toBe(text);
  });
});
