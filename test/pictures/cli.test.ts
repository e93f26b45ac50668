import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe('every command that checks mail reads its PDFs and pictures the same way', () => {
  it('case add-mail judges a QR code in an attached PDF as check does', () => {
    const env = { MAMORI_HOME: mkdtempSync(join(tmpdir(), 'mamori-pics-case-')), MAMORI_TODAY: '2026-11-21' };
    const run = (args: string[]) => mamori(args, { env });
    expect(run(['case', 'new', '--situation', 'suspicious-mail']).status).toBe(0);
    const id = /C-\d{8}-\d+/.exec(run(['case', 'list']).stdout)?.[0];
    expect(id).toBeTruthy();
    const added = run(['case', 'add-mail', id!, `${dir}/mail-qr-pdf.eml`]);
    expect(added.status).toBe(0);
    expect(added.stdout).toContain('フィッシング');
    // The stored evidence holds what only the PDF's picture says: the QR code's target.
    const shown = run(['case', 'show', id!, '--json']).stdout;
    expect(shown).toContain('"qr.off-brand"');
    expect(shown).toContain('QR code in invoice.pdf page 1');
  });

  it('the watcher judges it so too: its alert gives the QR code in the PDF as evidence', () => {
    const maildir = mkdtempSync(join(tmpdir(), 'mamori-pics-maildir-'));
    for (const sub of ['new', 'cur', 'tmp']) mkdirSync(join(maildir, sub));
    copyFileSync(`${dir}/mail-qr-pdf.eml`, join(maildir, 'new', '1.eml'));
    const env = { MAMORI_HOME: mkdtempSync(join(tmpdir(), 'mamori-pics-watch-')) };
    const r = mamori(['watch', '--maildir', maildir, '--once', '--json'], { env });
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n')[0]!) as { alert: { evidence: string[] } };
    expect(out.alert.evidence).toContain('qr.off-brand');
  });
});
