import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mamori } from '../helpers/cli.ts';

const phish = 'test/fixtures/mail/phish/jp-account-suspended-lookalike.eml';
const genuine = 'test/fixtures/mail/genuine/jp-order-confirmation.eml';

describe('mamori check (the real binary)', () => {
  it('prints help and exits 0', () => {
    const r = mamori(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('check');
  });

  it('--json prints one object per message with the contract fields', () => {
    const r = mamori(['check', phish, genuine, '--json']);
    expect(r.status).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    const [p, g] = lines;
    expect(Object.keys(p)).toEqual(
      expect.arrayContaining(['source', 'verdict', 'brand', 'score', 'findings', 'links']),
    );
    expect(p).toMatchObject({ source: phish, verdict: 'phishing', brand: 'amazon-jp' });
    expect(p.findings.map((f: { id: string }) => f.id)).toContain('link.lookalike-host');
    for (const f of p.findings)
      expect(Object.keys(f)).toEqual(expect.arrayContaining(['id', 'severity', 'evidence']));
    const evil = p.links.find((l: { domain: string }) => l.domain === 'signin-secure.cn');
    expect(evil).toMatchObject({
      text: 'https://www.amazon.co.jp/ap/signin',
      target: 'https://www.amazon.co.jp.signin-secure.cn/ap/signin',
      own: false,
    });
    expect(g).toMatchObject({ verdict: 'legitimate', brand: 'amazon-jp' });
    expect(g.links.every((l: { own: boolean }) => l.own)).toBe(true);
  });

  it('speaks Japanese by default and English with --lang en; verdict and what to do first, then evidence, then where to report', () => {
    const ja = mamori(['check', phish]).stdout;
    expect(ja.split('\n')[0]).toContain('フィッシング詐欺です');
    expect(ja.indexOf('1. ')).toBeLessThan(ja.indexOf('根拠'));
    expect(ja.indexOf('根拠')).toBeLessThan(ja.indexOf('\n報告先'));
    expect(ja).toContain('info@antiphishing.jp');
    expect(ja).not.toContain('(link.lookalike-host)');
    const en = mamori(['check', phish, '--lang', 'en']).stdout;
    expect(en).toContain('This is a phishing scam');
    expect(en).toContain('Where to report');
  });

  it('never prints a clickable link to the phishing site in human output', () => {
    const out = mamori(['check', phish]).stdout;
    expect(out).not.toMatch(/https?:\/\/www\.amazon\.co\.jp\.signin-secure\.cn/);
    expect(out).toContain('hxxps://www[.]amazon[.]co[.]jp[.]signin-secure[.]cn');
  });

  it('exits 2 on usage errors', () => {
    expect(mamori(['check']).status).toBe(2);
    expect(mamori(['check', phish, '--lang', 'fr']).status).toBe(2);
    expect(mamori(['check', phish, '--no-such-option']).status).toBe(2);
    expect(mamori(['check', phish, '--provider', 'no-such-provider']).status).toBe(2);
    expect(mamori(['no-such-command']).status).toBe(2);
  });

  it("--provider names the user's mail provider", () => {
    const r = mamori([
      'check',
      'test/fixtures/mail/genuine/provider-gmail.eml',
      '--provider',
      'gmail',
      '--json',
    ]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'legitimate' });
  });

  it('exits 1 when an input cannot be read, and still checks the others', () => {
    const r = mamori(['check', 'does/not/exist.eml', genuine, '--json']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('does/not/exist.eml');
    expect(JSON.parse(r.stdout.trim()).verdict).toBe('legitimate');
  });

  it('reads standard input with -', () => {
    const r = mamori(['check', '-', '--json'], { input: readFileSync(phish) });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ source: '-', verdict: 'phishing' });
  });

  it('judges pasted text without headers on content and links alone, and says so', () => {
    const text =
      'Amazonをご利用いただきありがとうございます。お支払い方法に問題があります。24時間以内に更新してください。\nhttps://amazon-co-jp.pay-update.xyz/\n';
    const json = JSON.parse(mamori(['check', '-', '--json'], { input: text }).stdout);
    expect(json.headerless).toBe(true);
    expect(json.findings.map((f: { id: string }) => f.id)).toContain('input.headerless');
    expect(['phishing', 'suspicious']).toContain(json.verdict);
    expect(mamori(['check', '-'], { input: text }).stdout).toContain('ヘッダーのない貼り付け本文');
  });

  it('checks every message of an mbox, numbering the sources', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mamori-'));
    const mbox = join(dir, 'inbox.mbox');
    const a = readFileSync(phish, 'latin1');
    const b = readFileSync(genuine, 'latin1');
    writeFileSync(
      mbox,
      `From MAILER-DAEMON Thu Nov 19 03:12:00 2026\n${a}\nFrom MAILER-DAEMON Thu Nov 19 03:13:00 2026\n${b}\n`,
      'latin1',
    );
    const lines = mamori(['check', mbox, '--json'])
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.source, l.verdict])).toEqual([
      [`${mbox}#1`, 'phishing'],
      [`${mbox}#2`, 'legitimate'],
    ]);
  });

  it('reads an Outlook .msg file', () => {
    const r = JSON.parse(mamori(['check', 'test/fixtures/mail/outlook/jp-phish.msg', '--json']).stdout);
    expect(r).toMatchObject({ verdict: 'phishing', brand: 'amazon-jp' });
    expect(r.findings.map((f: { id: string }) => f.id)).toContain('link.lookalike-host');
  });

  it('checks a whole folder', () => {
    const lines = mamori(['check', 'samples/mail', '--json']).stdout.trim().split('\n');
    expect(lines.length).toBe(6);
  });

  it('uses --orders: an order number the user does not have is evidence of phishing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mamori-'));
    const orders = join(dir, 'orders.csv');
    writeFileSync(orders, '注文番号,注文日\n249-1234567-7654321,2026/11/19\n');
    const r = JSON.parse(
      mamori([
        'check',
        'test/fixtures/mail/phish/jp-order-cancel-unknown-order.eml',
        '--orders',
        orders,
        '--json',
      ]).stdout,
    );
    expect(r.findings.find((f: { id: string }) => f.id === 'order.not-in-history')?.params.orderId).toBe(
      '572-2788370-9757654',
    );
  });

  it('mamori demo runs the built-in sample case', () => {
    const r = mamori(['demo']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('フィッシング詐欺です');
    expect(r.stdout).toContain('Amazonからの本物のメールです');
  });
});
