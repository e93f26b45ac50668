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
  const env = { MAMORI_TODAY: '2026-11-21' };
  const plan = (args: string[], e: Record<string, string> = {}) =>
    mamori(['plan', ...args], { env: { ...env, ...e } });

  it('plan --situation entered-card,unknown-charge --json: card company first; no cut-off date without a charge date', () => {
    const r = plan([
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
    expect(p.steps[0]).toMatchObject({
      id: 'card-stop',
      who: 'card-issuer',
      when: 'now',
      n: 1,
      deadlineNeeds: 'first-charge',
    });
    expect(p.steps[0].deadline).toBeUndefined();
    for (const s of p.steps)
      expect(Object.keys(s)).toEqual(
        expect.arrayContaining(['n', 'id', 'title', 'why', 'who', 'how', 'prepare', 'when', 'source']),
      );
    expect(p.expect.map((e: { id: string }) => e.id)).toContain('new-card');
    expect(p.script.map((x: { who: string }) => x.who)).toEqual(
      expect.arrayContaining(['card-issuer', 'amazon']),
    );
  });

  it('--first-charge as people write it dates the cut-off, shown on its own line', () => {
    for (const d of ['2026-10-01', '2026/10/01', '１０/１', '2026年10月1日']) {
      const p = JSON.parse(plan(['--situation', 'entered-card', '--first-charge', d, '--json']).stdout);
      expect(p.steps[0]).toMatchObject({
        id: 'card-stop',
        deadline: '2026-11-30',
        deadlineBasis: { from: 'first-charge', date: '2026-10-01', days: 60 },
      });
    }
    const text = plan(['--situation', 'entered-card', '--first-charge', '2026-10-01']).stdout;
    expect(text).toMatch(
      /^ {3}この日を過ぎると補償されないおそれ：2026-11-30（最も古い不審な請求 2026-10-01 から 60 日）$/m,
    );
    expect(text.indexOf('■ 今すぐやること')).toBeLessThan(text.indexOf('■ そのあとにやること'));
    const passed = plan(['--situation', 'entered-card', '--first-charge', '2026-08-01']).stdout;
    expect(passed).toContain('この期限（2026-09-30');
    expect(passed).toContain('もう過ぎています');
    const us = JSON.parse(
      plan(['--situation', 'unknown-charge', '--region', 'us', '--statement-date', '11/05', '--json']).stdout,
    );
    expect(us.steps.find((s: { id: string }) => s.id === 'card-dispute-credit').deadline).toBe('2027-01-04');
  });

  it("impossible, future and unreadable dates are refused in the person's language (exit 2)", () => {
    const bad = (args: string[]) => plan(['--situation', 'entered-card', ...args]);
    let r = bad(['--first-charge', '2026-02-30']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('存在しない日付');
    r = bad(['--noticed', '2026-12-01']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('未来の日付');
    r = bad(['--noticed', '20/11/2026', '--lang', 'en']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Cannot read the date');
  });

  it('at 02:00 the closed routes say when they open; 24-hour lines stay tonight', () => {
    const r = plan(['--situation', 'unknown-charge', '--noticed', '2026-11-18'], {
      MAMORI_TODAY: '2026-11-18',
      MAMORI_NOW: '2026-11-18T02:00+09:00',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('いま 2026-11-18（水）02:00');
    expect(r.stdout).toContain('今すぐやること（夜中でも、今夜のうちに）');
    expect(r.stdout).toContain('今は受付時間外：明日（11/18 水）08:30 から');
    expect(r.stdout).toContain('24時間受付');
  });

  it('no situation: the situations with their labels (exit 2 off a terminal); --help lists them too', () => {
    const r = plan([]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown-charge');
    expect(r.stderr).toContain('身に覚えのない請求がある');
    const help = plan(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('locked-out');
    expect(help.stdout).toContain('ログインできない');
    expect(help.stdout).toContain('--first-charge');
  });

  it('bad options are usage errors', () => {
    expect(plan(['--situation', 'hacked']).status).toBe(2);
    expect(plan(['--situation', 'entered-card', '--region', 'uk']).status).toBe(2);
  });
});

describe('every command a hint names exists', () => {
  it('the mamori commands named in messages and playbooks answer --help', () => {
    const texts = [
      'data/messages/ja.yaml',
      'data/messages/en.yaml',
      'data/playbooks/jp.yaml',
      'data/playbooks/us.yaml',
    ]
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const named = new Set<string>();
    for (const m of texts.matchAll(
      /mamori ((?:[a-z][a-z-]*)(?: (?:new|list|show|step|event|add-mail|add-charges|checkup|ics))?)((?: --[a-z-]+)*)/g,
    ))
      named.add(m[1]! + (m[2] ?? ''));
    expect(named.size).toBeGreaterThan(5);
    const helps = new Map<string, string>();
    for (const n of named) {
      const [cmd, ...rest] = n.split(' ');
      const sub = rest[0] && !rest[0].startsWith('--') ? rest[0] : undefined;
      const key = [cmd!, ...(sub ? [sub] : [])].join(' ');
      if (!helps.has(key)) {
        const r = mamori([...key.split(' '), '--help']);
        expect(r.status, `mamori ${key} --help`).toBe(0);
        helps.set(key, r.stdout);
      }
      for (const opt of rest.filter((x) => x.startsWith('--')))
        expect(helps.get(key), `mamori ${key} has no ${opt}`).toContain(opt);
    }
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
    // 60 days from the oldest disputed charge (2026-11-19), from the case's charges
    expect(plan.steps[0]).toMatchObject({
      id: 'card-stop',
      deadline: '2027-01-18',
      deadlineBasis: { from: 'first-charge', date: '2026-11-19' },
    });
    // Step numbers work where step ids do.
    const n = plan.steps.findIndex((s: { id: string }) => s.id === 'report-antiphishing') + 1;
    expect(run(['case', 'step', 'C-20261121-1', String(n), '--status', 'doing']).status).toBe(0);
    const shown = JSON.parse(run(['case', 'show', 'C-20261121-1', '--json']).stdout);
    expect(shown.steps['report-antiphishing']).toMatchObject({ status: 'doing' });
    expect(run(['case', 'step', 'C-20261121-1', '99', '--status', 'done']).status).toBe(2);
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
