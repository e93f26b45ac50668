import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mamori } from '../helpers/cli.ts';

const fx = (f: string) => `test/fixtures/pasted/${f}`;
const home = () => mkdtempSync(join(tmpdir(), 'mamori-paste-home-'));

/** A statement of the card the fixture's transactions page names (Visa ****1234), with one charge nobody made. */
function statement(dir: string): string {
  const file = join(dir, 'card.csv');
  writeFileSync(
    file,
    [
      '山田　太郎　様,4980-****-****-1234,三井住友カード(NL)',
      '2026/11/20,ＡＭＡＺＯＮ．ＣＯ．ＪＰ,4980,１,１,4980,',
      '2026/11/21,ＡＭＡＺＯＮ．ＣＯ．ＪＰ,7700,１,１,7700,',
      '2026/11/21,ＡＭＡＺＯＮ．ＣＯ．ＪＰ,33000,１,１,33000,',
      ',,,,,45680,',
    ].join('\r\n'),
  );
  return file;
}

/** Every byte the store keeps (the database and its WAL). */
const storeBytes = (h: string) =>
  readdirSync(h, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(join(e.parentPath, e.name)).toString('utf8'))
    .join('\n');

describe('mamori import of a pasted page (the real binary)', () => {
  it('shows what it read, stores on --yes, and reconcile --statement matches with match.pasted-transaction', () => {
    const h = home();
    const env = { MAMORI_HOME: h };
    const imp = mamori(['import', fx('transactions-ja-desktop.txt'), '--yes'], { env });
    expect(imp.status).toBe(0);
    expect(imp.stdout).toContain('503-4567890-4567890');
    expect(imp.stdout).toContain('Visa ****1234');
    expect(imp.stdout).toMatch(/5 行目/);
    const rec = mamori(['reconcile', '--statement', statement(h), '--json'], { env });
    expect(rec.status).toBe(0);
    const out = JSON.parse(rec.stdout);
    const byAmount = (a: number) => out.charges.find((c: { amount: number }) => c.amount === a);
    expect(byAmount(4980).orderIds).toEqual(['503-1234567-1234567']);
    expect(byAmount(4980).findings[0].id).toBe('match.pasted-transaction');
    expect(byAmount(7700).findings[0].id).toBe('match.pasted-transaction');
    expect(byAmount(33000).category).toBe('unexplained');
    expect(byAmount(33000).risk).not.toBeNull();
  });

  it('without --yes and no terminal to ask on, nothing is stored (exit 1, says how)', () => {
    const h = home();
    const r = mamori(['import', fx('transactions-ja-phone.txt')], { env: { MAMORI_HOME: h } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--yes');
    const rec = mamori(['reconcile', '--json'], { env: { MAMORI_HOME: h } });
    expect(rec.status).toBe(1);
  });

  it('reads a paste from stdin (`-`), an HTML and an MHTML page', () => {
    const h = home();
    const env = { MAMORI_HOME: h };
    const stdin = mamori(['import', '-', '--yes', '--lang', 'en'], {
      env,
      input: readFileSync(fx('transactions-en-phone.txt')),
    });
    expect(stdin.status).toBe(0);
    expect(stdin.stdout).toContain('113-2222222-2222222');
    expect(stdin.stdout).toContain('sent nowhere');
    for (const f of ['transactions-ja.html', 'transactions-ja-saved.mhtml']) {
      const r = mamori(['import', fx(f), '--yes'], { env });
      expect(r.status, f).toBe(0);
      expect(r.stdout).not.toContain('503-9999999-9999999');
    }
  });

  it("the person's name and address never reach the store or an error message", () => {
    const h = home();
    const env = { MAMORI_HOME: h, MAMORI_DEBUG: '1' };
    const r = mamori(['import', fx('order-details-ja.txt'), '--yes'], { env });
    expect(r.status).toBe(0);
    const bad = mamori(['import', fx('unrelated-page.txt')], { env });
    expect(bad.status).toBe(1);
    const stored = storeBytes(h);
    expect(stored).toContain('503-5678901-5678901');
    for (const secret of ['山田', '千代田', '100-0001']) {
      expect(stored).not.toContain(secret);
      expect(r.stderr + bad.stderr + bad.stdout).not.toContain(secret);
    }
  });

  it('a paste without order data says what was expected and how to copy each page', () => {
    const r = mamori(['import', fx('unrelated-page.txt')], { env: { MAMORI_HOME: home() } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('yourpayments/transactions');
    expect(r.stderr).toContain('確認できていません');
    expect(r.stderr).not.toContain('キャベツ');
  });

  it('a card statement pasted by mistake goes to the statement importer', () => {
    const h = home();
    const r = mamori(['import', fx('card-statement.txt')], { env: { MAMORI_HOME: h } });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('カード明細');
    const rec = JSON.parse(mamori(['reconcile', '--json'], { env: { MAMORI_HOME: h } }).stdout);
    expect(rec.charges.length).toBeGreaterThan(10);
  });

  it('the demo shows a statement, a pasted transactions page, the charges explained', () => {
    const r = mamori(['demo'], { env: { MAMORI_HOME: home() } });
    expect(r.status).toBe(0);
    const at = r.stdout.indexOf('取引」画面');
    expect(at).toBeGreaterThan(0);
    const tail = r.stdout.slice(at);
    expect(tail).toContain('503-0000001-0000001');
    expect(tail.match(/貼り付けた取引一覧/g)?.length).toBe(4);
  });
});
