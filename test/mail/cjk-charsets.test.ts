import Encoding from 'encoding-japanese';
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { checkMessage } from '#core/check/index.ts';
import { detectCharset } from '#core/mail/decode.ts';
import { parseMail } from '#core/mail/parse.ts';

const knowledge = loadKnowledge();

/** An encoder for a two-byte Chinese charset, built from the standard decoder (the project has no encoder). */
function encoderFor(label: 'gbk' | 'big5'): (s: string) => Uint8Array {
  const map = new Map<string, number[]>();
  const decoder = new TextDecoder(label);
  for (let lead = 0x81; lead <= 0xfe; lead++)
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      const ch = decoder.decode(new Uint8Array([lead, trail]));
      if (ch.length === 1 && ch !== '\uFFFD' && !map.has(ch)) map.set(ch, [lead, trail]);
    }
  return (s) =>
    Uint8Array.from(
      [...s].flatMap((ch) => {
        if (ch.charCodeAt(0) < 0x80) return [ch.charCodeAt(0)];
        const bytes = map.get(ch);
        if (!bytes) throw new Error(`${label} cannot encode ${ch}`);
        return bytes;
      }),
    );
}
const japanese = (s: string, to: 'SJIS' | 'EUCJP') =>
  Uint8Array.from(Encoding.convert(Encoding.stringToCode(s), { to, from: 'UNICODE' }));

const ZH_SIMPLIFIED =
  '尊敬的客户，您的账户存在异常登录，请在24小时内点击下面的链接验证您的身份，否则账户将被冻结。感谢您的配合。';
const ZH_TRADITIONAL =
  '親愛的客戶，您的帳戶存在異常登入，請在24小時內點擊下面的連結驗證您的身份，否則帳戶將被凍結。感謝您的配合。';
const JA =
  'お客様のアカウントに異常なログインがありました。24時間以内に下記のリンクからご本人確認をお願いいたします。';
const JA_KANJI =
  '東京都港区六本木一丁目 請求金額 支払期限 利用停止 個人情報 確認手続 至急対応 本人確認 口座番号 暗証番号';

function unlabelled(body: Uint8Array, subject = 'notice'): Uint8Array {
  const head = new TextEncoder().encode(
    `Received: from mail.sender.example (unknown [203.0.113.9]) by mx.example.jp; Thu, 19 Nov 2026 03:12:00 +0000\nFrom: "Li" <li@example.net>\nTo: user@example.jp\nSubject: ${subject}\nDate: Thu, 19 Nov 2026 03:12:00 +0000\nMIME-Version: 1.0\nContent-Type: text/plain\nContent-Transfer-Encoding: 8bit\n\n`,
  );
  const out = new Uint8Array(head.length + body.length + 1);
  out.set(head);
  out.set(body, head.length);
  out[out.length - 1] = 0x0a;
  return out;
}

describe('unlabelled 8-bit CJK text is told apart by its bytes', () => {
  const gbk = encoderFor('gbk');
  const big5 = encoderFor('big5');
  it('GB2312/GBK is Chinese, not Shift_JIS or EUC-JP', () => {
    expect(detectCharset(gbk(ZH_SIMPLIFIED))).toBe('gbk');
  });
  it('Big5 is Chinese', () => {
    expect(detectCharset(big5(ZH_TRADITIONAL))).toBe('big5');
  });
  for (const to of ['SJIS', 'EUCJP'] as const) {
    it(`${to} Japanese stays Japanese, also with few kana`, () => {
      const label = to === 'SJIS' ? 'shift_jis' : 'euc-jp';
      expect(detectCharset(japanese(JA, to))).toBe(label);
      expect(detectCharset(japanese(JA_KANJI, to))).toBe(label);
    });
  }
  it('a Chinese mail is read as Chinese and judged without a Japanese guess', async () => {
    const raw = unlabelled(gbk(ZH_SIMPLIFIED));
    const parsed = await parseMail(raw, knowledge.scoring.limits);
    expect(parsed.ok && parsed.mail.text.trim()).toBe(ZH_SIMPLIFIED);
    const o = await checkMessage(raw, knowledge);
    if (!o.ok) throw new Error(o.problem.code);
    const ids = o.result.findings.map((f) => f.id);
    expect(ids).not.toContain('text.simplified-chinese');
    expect(ids).not.toContain('text.mojibake');
    expect(o.result.verdict).toBe('unrelated');
  });
  it('a Shift_JIS mail with no label is still read as Japanese', async () => {
    const parsed = await parseMail(unlabelled(japanese(JA, 'SJIS')), knowledge.scoring.limits);
    expect(parsed.ok && parsed.mail.text.trim()).toBe(JA);
  });
});
