import { describe, expect, it } from 'vitest';
import { mamori } from '../helpers/cli.ts';

const dir = 'test/fixtures/pictures';

describe('mamori check shot.png (the real binary, offline)', () => {
  it('a Japanese SMS screenshot: phishing, the URL as read, and a request to compare it with the picture', () => {
    const r = mamori(['check', `${dir}/sms-phish-ja.png`]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('フィッシング詐欺です');
    expect(r.stdout).toContain('画像から文字を読み取って判定しました');
    expect(r.stdout).toContain('読み取った内容を画像と見比べてください');
    expect(r.stdout).toContain('hxxps://amazon-co-jp[.]account-verify[.]top/login');
    expect(r.stderr).toBe('');
  });

  it('several pictures at once, in English; --json carries what was read', () => {
    const r = mamori(['check', '--lang', 'en', `${dir}/sms-ordinary-ja.png`, `${dir}/mail-qr-lookalike.eml`]);
    expect(r.stdout).toContain('Read from a picture');
    const j = mamori(['check', '--json', `${dir}/sms-ordinary-ja.png`, `${dir}/mail-qr-lookalike.eml`]);
    const [shot, mail] = j.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(shot.verdict).toBe('unrelated');
    expect(shot.picture.confidence).toBeGreaterThan(50);
    expect(mail.verdict).toBe('phishing');
    expect(mail.findings.map((f: { id: string }) => f.id)).toContain('qr.off-brand');
  });

  it('a picture with nothing to read is a clear message, not a verdict', () => {
    const r = mamori(['check', '--lang', 'en', `${dir}/no-qr.png`]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('no text or QR code could be read from this picture');
  });
});
