import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { checkMessage } from '#core/check/index.ts';
import { parseMail } from '#core/mail/parse.ts';

const knowledge = loadKnowledge();
const limits = knowledge.scoring.limits;
const enc = (s: string) => new TextEncoder().encode(s.replace(/\n/g, '\r\n'));
const head =
  'Received: from x.example (unknown [203.0.113.1]) by mx.example.jp; Thu, 19 Nov 2026 03:12:00 +0000\nFrom: "Amazon.co.jp" <n@x.example>\nSubject: test\nMIME-Version: 1.0\n';

describe('hostile and broken input: a clear problem or a verdict, never a crash or a hang', () => {
  it('an empty file is a problem value', async () => {
    expect(await checkMessage(new Uint8Array(0), knowledge)).toEqual({
      ok: false,
      problem: { code: 'empty' },
    });
    expect(await checkMessage(enc('  \n\n '), knowledge)).toEqual({ ok: false, problem: { code: 'empty' } });
  });

  it('binary garbage is a problem value that shows the first bytes', async () => {
    const bytes = new Uint8Array(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
    const out = await checkMessage(bytes, knowledge);
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.problem).toMatchObject({ code: 'binary' });
  });

  it('truncated MIME (no closing boundary, cut base64) still gets a verdict', async () => {
    const raw = `${head}Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n44GK5a6i5qeY44Gu44Ki44Kr44Km44Oz44OI44KS56K66Kq`;
    const out = await checkMessage(enc(raw), knowledge);
    expect(out.ok).toBe(true);
    if (out.ok) expect(['phishing', 'suspicious']).toContain(out.result.verdict);
  });

  it('a 50 MB attachment: the message is read up to the limit and the verdict says so', async () => {
    const big = 'A'.repeat(50 * 1024 * 1024);
    const raw = `${head}Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\nAmazon お支払い方法を更新してください https://pay-update.example.xyz/\n--b\nContent-Type: application/octet-stream; name="x.bin"\nContent-Transfer-Encoding: base64\n\n${big}\n--b--\n`;
    const out = await checkMessage(new TextEncoder().encode(raw), knowledge);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    const partial = out.result.findings.find((f) => f.id === 'input.partial');
    expect(partial?.params).toMatchObject({ code: 'truncated', limitBytes: limits.maxMessageBytes });
    expect(out.result.links.some((l) => l.target === 'https://pay-update.example.xyz/')).toBe(true);
  });

  it('1,000 nested parts: stops at the depth limit and still judges the headers', async () => {
    let raw = `${head}Content-Type: multipart/mixed; boundary="b0"\n\n`;
    for (let i = 0; i < 1000; i++) raw += `--b${i}\nContent-Type: multipart/mixed; boundary="b${i + 1}"\n\n`;
    raw += '--b1000\nContent-Type: text/plain\n\nhello\n';
    const parsed = await parseMail(enc(raw), limits);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.mail.notes.map((n) => n.code)).toContain('too-deep');
    const out = await checkMessage(enc(raw), knowledge);
    expect(out.ok && out.result.brand).toBe('amazon-jp'); // named by its .co.jp sender name
  });

  it('1,000 sibling attachments are capped', async () => {
    let raw = `${head}Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\nhi\n`;
    for (let i = 0; i < 1000; i++)
      raw += `--b\nContent-Type: application/octet-stream; name="f${i}.zip"\nContent-Disposition: attachment; filename="f${i}.zip"\n\nPK\n`;
    raw += '--b--\n';
    const parsed = await parseMail(enc(raw), limits);
    // The message is read up to its maxParts-th part (the first is the text), before postal-mime sees the rest.
    expect(parsed.ok && parsed.mail.attachments.length).toBe(limits.maxParts - 1);
    expect(parsed.ok && parsed.mail.notes.map((n) => n.code)).toContain('too-many-parts');
  });

  it('a header block of garbage lines is read as pasted text, not a crash', async () => {
    const out = await checkMessage(enc('this is: not\n really a header\n\nbody'), knowledge);
    expect(out.ok).toBe(true);
  });

  it('a million links are capped', async () => {
    const text = Array.from({ length: 20000 }, (_, i) => `https://h${i}.example.com/`).join(' ');
    const out = await checkMessage(enc(`${head}Content-Type: text/plain\n\n${text}`), knowledge);
    expect(out.ok && out.result.links.length).toBe(limits.maxLinks);
  });
});
