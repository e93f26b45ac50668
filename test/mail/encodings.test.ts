import Encoding from 'encoding-japanese';
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { parseMail } from '#core/mail/parse.ts';

const limits = loadKnowledge().scoring.limits;
const SUBJECT = 'お客様のAmazonアカウントが一時的に停止されました';
const BODY = 'お支払い方法の情報を更新してください。';
const codes = { 'iso-2022-jp': 'JIS', shift_jis: 'SJIS', 'euc-jp': 'EUCJP' } as const;

function bytesOf(s: string, cs: keyof typeof codes | 'utf-8'): Buffer {
  if (cs === 'utf-8') return Buffer.from(s, 'utf8');
  return Buffer.from(Encoding.convert(Encoding.stringToCode(s), { to: codes[cs], from: 'UNICODE' }));
}

function mail(opts: { subjectHeader: string; ct: string; cte: string; body: Buffer }): Uint8Array {
  const head = `From: "Amazon.co.jp" <n@x.example>\r\nSubject: ${opts.subjectHeader}\r\nDate: Thu, 19 Nov 2026 03:12:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: ${opts.ct}\r\nContent-Transfer-Encoding: ${opts.cte}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), opts.body]);
}

const ew = (cs: keyof typeof codes | 'utf-8', s: string) =>
  `=?${cs.toUpperCase()}?B?${bytesOf(s, cs).toString('base64')}?=`;

describe('Japanese encodings as they arrive', () => {
  for (const cs of ['iso-2022-jp', 'shift_jis', 'euc-jp', 'utf-8'] as const) {
    it(`${cs}, labelled, 8bit/7bit body and encoded-word subject`, async () => {
      const r = await parseMail(
        mail({
          subjectHeader: ew(cs, SUBJECT),
          ct: `text/plain; charset=${cs}`,
          cte: cs === 'iso-2022-jp' ? '7bit' : '8bit',
          body: bytesOf(BODY, cs),
        }),
        limits,
      );
      expect(r.ok && r.mail.subject).toBe(SUBJECT);
      expect(r.ok && r.mail.text.trim()).toBe(BODY);
    });
    it(`${cs}, base64 body`, async () => {
      const r = await parseMail(
        mail({
          subjectHeader: ew(cs, SUBJECT),
          ct: `text/plain; charset="${cs}"`,
          cte: 'base64',
          body: Buffer.from(bytesOf(BODY, cs).toString('base64')),
        }),
        limits,
      );
      expect(r.ok && r.mail.text.trim()).toBe(BODY);
    });
  }

  it('quoted-printable UTF-8', async () => {
    const qp = [...bytesOf(BODY, 'utf-8')]
      .map((b) => '=' + b.toString(16).toUpperCase().padStart(2, '0'))
      .join('')
      .replace(/(.{72})/g, '$1=\r\n');
    const r = await parseMail(
      mail({
        subjectHeader: 'x',
        ct: 'text/plain; charset=utf-8',
        cte: 'quoted-printable',
        body: Buffer.from(qp),
      }),
      limits,
    );
    expect(r.ok && r.mail.text.trim()).toBe(BODY);
  });

  it('Shift_JIS with no charset label at all is detected', async () => {
    const r = await parseMail(
      mail({ subjectHeader: 'x', ct: 'text/plain', cte: '8bit', body: bytesOf(BODY, 'shift_jis') }),
      limits,
    );
    expect(r.ok && r.mail.text.trim()).toBe(BODY);
    expect(r.ok && r.mail.notes.map((n) => n.code)).toContain('charset-repaired');
  });

  it('a raw 8-bit Shift_JIS subject (no encoded word) is detected', async () => {
    const head = Buffer.concat([
      Buffer.from('From: "Amazon" <n@x.example>\r\nSubject: '),
      bytesOf(SUBJECT, 'shift_jis'),
      Buffer.from('\r\nContent-Type: text/plain; charset=shift_jis\r\n\r\n'),
    ]);
    const r = await parseMail(Buffer.concat([head, bytesOf(BODY, 'shift_jis')]), limits);
    expect(r.ok && r.mail.subject).toBe(SUBJECT);
  });

  it('EUC-JP mislabelled as GB2312 is read as Japanese', async () => {
    const r = await parseMail(
      mail({
        subjectHeader: 'x',
        ct: 'text/plain; charset=gb2312',
        cte: '8bit',
        body: bytesOf('Amazonプライムの自動更新設定を解除いたしました。' + BODY, 'euc-jp'),
      }),
      limits,
    );
    expect(r.ok && r.mail.text).toContain('自動更新設定を解除');
  });

  it('a genuinely Chinese GB2312 mail is left as it is', async () => {
    const zh = '您好，请查看您的订单详情。我们已经发货。';
    const body = Buffer.from(
      new Uint8Array(Encoding.convert(Encoding.stringToCode(zh), { to: 'UTF8', from: 'UNICODE' })),
    );
    const gb = new TextDecoder('gbk');
    // Encode through the platform: TextEncoder cannot write GBK, so round-trip a known GBK byte string instead.
    const gbBytes = Buffer.from('c4fabac3a3acc7ebb2e9bfb4c4fab5c4b6a9b5a5cfeac7e9a1a3', 'hex');
    expect(gb.decode(gbBytes)).toBe('您好，请查看您的订单详情。');
    const r = await parseMail(
      mail({ subjectHeader: 'x', ct: 'text/plain; charset=gb2312', cte: '8bit', body: gbBytes }),
      limits,
    );
    expect(r.ok && r.mail.text.trim()).toBe('您好，请查看您的订单详情。');
    expect(body.length).toBeGreaterThan(0);
  });
});
