import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { zxcvbnScorer } from '#adapters/password/zxcvbn-scorer.ts';
import { checkPassword } from '#core/case/checkup.ts';
import { csvCell } from '#core/report/report.ts';
import { mamori } from '../helpers/cli.ts';

const scen = (n: string, f: string) => `test/fixtures/ledger/scenarios/${n}/${f}`;
const hasPdftotext = spawnSync('sh', ['-c', 'command -v pdftotext']).status === 0;

describe('mamori plan (the real binary)', () => {
  it('plan --situation entered-card,unknown-charge --region jp --noticed 2026-11-20 --json: card company first, dated deadline', () => {
    const r = mamori([
      'plan',
      '--situation',
      'entered-card,unknown-charge',
      '--region',
      'jp',
      '--noticed',
      '2026-11-20',
      '--json',
    ]);
    expect(r.status).toBe(0);
    const p = JSON.parse(r.stdout);
    expect(p.steps[0]).toMatchObject({ who: 'card-issuer', deadline: '2027-01-19' });
    for (const s of p.steps)
      expect(Object.keys(s)).toEqual(
        expect.arrayContaining(['id', 'title', 'why', 'who', 'how', 'prepare', 'source']),
      );
    expect(p.script.map((x: { who: string }) => x.who)).toEqual(
      expect.arrayContaining(['card-issuer', 'amazon']),
    );
  });
  it('bad options are usage errors', () => {
    expect(mamori(['plan', '--situation', 'hacked']).status).toBe(2);
    expect(mamori(['plan', '--situation', 'entered-card', '--noticed', '20/11/2026']).status).toBe(2);
    expect(mamori(['plan', '--situation', 'entered-card', '--region', 'uk']).status).toBe(2);
  });
});

describe('a case from start to report', () => {
  const home = mkdtempSync(join(tmpdir(), 'mamori-case-'));
  const env = { MAMORI_HOME: home, MAMORI_TODAY: '2026-11-21' };
  const run = (args: string[], input?: string) => mamori(args, { env, input });

  it('opens a case, gathers evidence and charges, records steps and events', () => {
    expect(
      run([
        'case',
        'new',
        '--situation',
        'entered-card,unknown-charge',
        '--noticed',
        '2026-11-20',
        '--name',
        '山田 太郎',
        '--phone',
        '090-1234-5678',
        '--email',
        'taro@example.jp',
      ]).stdout,
    ).toContain('C-20261121-1');
    expect(run(['import', scen('hijacked', 'amazon-export.zip'), scen('hijacked', 'vpass.csv')]).status).toBe(
      0,
    );
    expect(run(['case', 'add-charges', 'C-20261121-1']).stdout).toMatch(/8 件/);
    expect(run(['case', 'add-charges', 'C-20261121-1']).stdout).toMatch(/0 件/);
    expect(
      run(['case', 'add-mail', 'C-20261121-1', 'test/fixtures/mail/phish/jp-account-suspended-lookalike.eml'])
        .status,
    ).toBe(0);
    expect(
      run(['case', 'step', 'C-20261121-1', 'card-stop', '--status', 'done', '--note', '受付番号 A-123'])
        .status,
    ).toBe(0);
    expect(run(['case', 'step', 'C-20261121-1', 'no-such-step', '--status', 'done']).status).toBe(2);
    expect(run(['case', 'event', 'C-20261121-1', 'card-stopped', '--date', '2026-11-21']).status).toBe(0);
    expect(
      run(['case', 'event', 'C-20261121-1', 'refund-received', '--date', '2026-12-10', '--note', '¥80,000'])
        .status,
    ).toBe(0);
    const c = JSON.parse(run(['case', 'show', 'C-20261121-1', '--json']).stdout);
    expect(c.charges).toHaveLength(8);
    expect(c.steps['card-stop']).toMatchObject({ status: 'done', note: '受付番号 A-123' });
    expect(c.events.map((e: { kind: string }) => e.kind)).toEqual([
      'noticed',
      'card-stopped',
      'refund-received',
    ]);
    expect(c.plan[0]).toMatchObject({ id: 'card-stop', status: 'done' });
    const plan = JSON.parse(run(['plan', '--case', 'C-20261121-1', '--json']).stdout);
    expect(plan.steps[0].deadline).toBe('2027-01-18'); // 60 days from the oldest disputed charge (2026-11-19)
    expect(plan.script.find((s: { who: string }) => s.who === 'card-issuer').lines.join()).toContain(
      'D01-2222222-0000005',
    );
  });

  it('the PDF report carries the order IDs and Japanese headings (read back with pdftotext)', () => {
    const out = join(home, 'card.pdf');
    const r = run(['report', '--case', 'C-20261121-1', '--format', 'pdf', '--for', 'card', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
    if (!hasPdftotext) throw new Error('pdftotext is missing: .ci/run installs poppler-utils');
    const text = spawnSync('pdftotext', [out, '-'], { encoding: 'utf8' }).stdout;
    for (const id of ['D01-2222222-0000005', 'D01-2222222-0000008', '249-2222222-0000009'])
      expect(text).toContain(id);
    for (const h of [
      'カード不正利用の申告書',
      '不審な請求',
      '経過',
      'フィッシングメールの証拠',
      '行った対応',
      '連絡先',
    ])
      expect(text).toContain(h);
    expect(text).not.toMatch(/https?:\/\/www\.amazon\.co\.jp\.signin-secure\.cn/);
  });

  it('Markdown and HTML reports; the HTML has no script and no live link', () => {
    const md = join(home, 'r.md');
    run(['report', '--case', 'C-20261121-1', '--format', 'md', '--for', 'police', '--out', md]);
    expect(readFileSync(md, 'utf8')).toContain('## 不審な請求');
    const html = join(home, 'r.html');
    run([
      'report',
      '--case',
      'C-20261121-1',
      '--format',
      'html',
      '--for',
      'amazon',
      '--lang',
      'en',
      '--out',
      html,
    ]);
    const h = readFileSync(html, 'utf8');
    expect(h).toContain('Disputed charges');
    expect(h).not.toMatch(/<script|href=/i);
  });

  it('the CSV of disputed charges is safe against spreadsheet formulas', () => {
    const csv = join(home, 'c.csv');
    expect(run(['report', '--case', 'C-20261121-1', '--format', 'csv', '--out', csv]).status).toBe(0);
    expect(readFileSync(csv, 'utf8')).toContain('D01-2222222-0000005');
    expect(csvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-cmd')).toBe("'-cmd");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('AMAZON.CO.JP')).toBe('AMAZON.CO.JP');
  });

  it('writes an .ics with the deadlines and a monthly statement review', () => {
    const ics = join(home, 'c.ics');
    run(['case', 'ics', 'C-20261121-1', '--out', ics]);
    const text = readFileSync(ics, 'utf8');
    expect(text).toContain('BEGIN:VCALENDAR');
    expect(text).toContain('DTSTART;VALUE=DATE:20270118');
    expect(text).toContain('RRULE:FREQ=MONTHLY');
    for (const line of text.split('\r\n'))
      expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
  });

  it('the checkup flags a birthday password and never stores the password', () => {
    const r = run(
      [
        'case',
        'checkup',
        'C-20261121-1',
        '--password-stdin',
        '--birthday',
        '1980-05-12',
        '--two-step',
        'off',
      ],
      'taro19800512\n',
    );
    expect(r.stdout).toContain('誕生日');
    const db = readFileSync(join(home, 'mamori.db'));
    expect(db.includes(Buffer.from('taro19800512'))).toBe(false);
    expect(
      existsSync(join(home, 'mamori.db-wal'))
        ? readFileSync(join(home, 'mamori.db-wal')).includes(Buffer.from('taro19800512'))
        : false,
    ).toBe(false);
  });
});

describe('password check', () => {
  it('flags birthdays, phone numbers and names (what card companies call negligence)', async () => {
    const scorer = zxcvbnScorer();
    expect((await checkPassword('taro19800512', { name: 'Yamada Taro' }, scorer)).flags).toEqual(
      expect.arrayContaining(['birthday', 'name']),
    );
    expect((await checkPassword('09012345678', { phone: '090-1234-5678' }, scorer)).flags).toContain('phone');
    expect((await checkPassword('1980love', { birthday: '1980-05-12' }, scorer)).flags).toContain('birthday');
    const strong = await checkPassword('kuMo-nagare-7Hx!qa', {}, scorer);
    expect(strong.score).toBeGreaterThanOrEqual(3);
    expect(strong.flags).not.toContain('birthday');
  });
});
