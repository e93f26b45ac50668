import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { zxcvbnScorer } from '#adapters/password/zxcvbn-scorer.ts';
import { checkPassword } from '#core/case/checkup.ts';
import { csvCell } from '#core/report/report.ts';
import { mamori } from '../helpers/cli.ts';

const scen = (n: string, f: string) => `test/fixtures/ledger/scenarios/${n}/${f}`;

/** A PDF's text, read back in pure JS (no poppler needed). */
async function pdfText(path: string): Promise<string> {
  const pdf = await getDocumentProxy(new Uint8Array(readFileSync(path)));
  return (await extractText(pdf, { mergePages: true })).text;
}
const squeeze = (s: string) => s.replace(/\s+/g, '');

/** What a document for someone else must never hold: rule ids, advice to the user, lists of defanged links. */
function expectNothingForTheUser(text: string, quoted: string[] = []) {
  let body = text.split(/付録 ?\d|Appendix \d/)[0]!;
  for (const q of quoted) body = body.split(q).join('');
  expect(body).not.toMatch(
    /\b(?:link|sender|auth|text|body|attach|order|charge|match|input)\.[a-z][a-z-]+\b/,
  );
  expect(body).not.toMatch(/してください|Please check|you should/);
  expect(body.match(/hxxps?:\/\//g)?.length ?? 0).toBeLessThanOrEqual(1);
}

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

  it('--brand: a fake 楽天カード mail gets 楽天カード’s steps; an unknown brand is a usage error in Japanese', () => {
    const r = plan(['--situation', 'suspicious-mail', '--brand', 'rakuten-card', '--json']);
    expect(r.status).toBe(0);
    const p = JSON.parse(r.stdout) as { steps: { id: string; title: string }[] };
    expect(p.steps[0]).toMatchObject({ id: 'check-genuine-brand' });
    expect(p.steps[0]!.title).toContain('楽天カード');
    expect(p.steps.map((s) => s.id)).not.toContain('report-amazon');
    const bad = plan(['--situation', 'suspicious-mail', '--brand', 'nope']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('分からない会社です');
  });

  it('bad options are usage errors', () => {
    expect(plan(['--situation', 'hacked']).status).toBe(2);
    expect(plan(['--situation', 'entered-card', '--region', 'uk']).status).toBe(2);
  });
});

describe('every command a hint names exists', () => {
  it('the mamori commands named in messages and playbooks answer --help', () => {
    const texts = [
      ...readdirSync('data/messages').map((f) => `data/messages/${f}`),
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
        '--address',
        '東京都世田谷区1-2-3',
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
      run([
        'case',
        'step',
        'C-20261121-1',
        'card-stop',
        '--status',
        'done',
        '--note',
        '受付番号 A-123',
        '--receipt',
        'A-123',
      ]).status,
    ).toBe(0);
    expect(run(['case', 'step', 'C-20261121-1', 'no-such-step', '--status', 'done']).status).toBe(2);
    expect(
      run(['case', 'event', 'C-20261121-1', 'card-stopped', '--date', '2026-11-21', '--receipt', 'R-77'])
        .status,
    ).toBe(0);
    expect(
      run(['case', 'event', 'C-20261121-1', 'refund-received', '--date', '2026-11-21', '--note', '¥80,000'])
        .status,
    ).toBe(0);
    const c = JSON.parse(run(['case', 'show', 'C-20261121-1', '--json']).stdout);
    expect(c.charges).toHaveLength(8);
    expect(c.steps['card-stop']).toMatchObject({ status: 'done', note: '受付番号 A-123', receipt: 'A-123' });
    expect(c.cardInfo).toBeUndefined();
    expect(c.charges[0].printed).toEqual({
      date: '2026/11/19',
      description: 'ＡＭＡＺＯＮ　ＤＯＷＮＬＯＡＤＳ',
      amount: '10000',
    });
    expect(c.charges[0].card).toMatchObject({ issuer: '三井住友カード', last4: '1234' });
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

  it('a genuine mail is refused as phishing evidence, or kept as the genuine notice when it shows the takeover', () => {
    const r = run([
      'case',
      'add-mail',
      'C-20261121-1',
      'test/fixtures/mail/genuine/jp-prime-renewal.eml',
      'test/fixtures/mail/genuine/jp-signin-alert.eml',
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('証拠として追加しませんでした');
    expect(r.stdout).toContain('本物の通知として追加しました');
    const c = JSON.parse(run(['case', 'show', 'C-20261121-1', '--json']).stdout);
    expect(c.mails.map((m: { role: string; verdict: string }) => [m.role, m.verdict])).toEqual([
      ['phishing', 'phishing'],
      ['genuine-notice', 'legitimate'],
    ]);
    expect(c.mails[0]).toMatchObject({ received: '2026-11-19 12:12 (+0900)' });
    expect(c.mails[0].headers).toContain('Received: from mail.support-center.cn');
  });

  it('dates that cannot be right are refused: impossible, in the future, before the case began', () => {
    let r = run(['case', 'event', 'C-20261121-1', 'contacted-card', '--date', '2026-02-30']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('存在しない日付');
    r = run(['case', 'event', 'C-20261121-1', 'refund-received', '--date', '2026-12-10']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('未来の日付');
    r = run(['case', 'event', 'C-20261121-1', 'contacted-card', '--date', '2026-11-01']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('気づいた日（2026-11-20）より前');
    r = run(['case', 'step', 'C-20261121-1', 'card-stop', '--status', 'done', '--date', '2026-11-22']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('未来の日付');
    expect(run(['case', 'new', '--situation', 'unknown-charge', '--noticed', '2026-02-30']).status).toBe(2);
    expect(run(['case', 'new', '--situation', 'unknown-charge', '--card-last4', '12a4']).status).toBe(2);
    const events = JSON.parse(run(['case', 'show', 'C-20261121-1', '--json']).stdout).events;
    expect(events.map((e: { at: string }) => e.at)).not.toContain('2026-12-10');
  });

  it('the card report is a dispute declaration: the card, the statement lines as printed, a signature line (PDF)', async () => {
    const out = join(home, 'card.pdf');
    const r = run(['report', '--case', 'C-20261121-1', '--format', 'pdf', '--for', 'card', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(out);
    for (const h of [
      'カード不正利用の申告書',
      '対象のカード',
      '連絡・対応の記録',
      '署名',
      '作成日 2026-11-21',
    ])
      expect(text).toContain(h);
    expect(text).toMatch(/カード番号の下4桁: 1234/);
    expect(text).toContain('三井住友カード');
    // The statement's own wording and amounts, not ours.
    expect(squeeze(text)).toContain('2026/11/19ＡＭＡＺＯＮＤＯＷＮＬＯＡＤＳ10000');
    expect(squeeze(text)).toContain('東京都世田谷区1-2-3');
    expect(text).toContain('A-123');
    expect(text).toContain('R-77');
    expect(text).not.toContain('hxxp');
    expectNothingForTheUser(text);
  });

  it('the police report: timeline, total, where the orders went, the phishing mail in plain words, headers in an appendix (PDF)', async () => {
    const out = join(home, 'police.pdf');
    expect(
      run(['report', '--case', 'C-20261121-1', '--format', 'pdf', '--for', 'police', '--out', out]).status,
    ).toBe(0);
    const text = await pdfText(out);
    const flat = squeeze(text);
    expect(flat).toContain('佐藤一郎大阪府大阪市転送センター気付');
    expect(flat).toContain('cash.buyer@example.net');
    expect(flat).toContain('¥257,800');
    expect(flat).toContain('account-notice@amazon-co-jp.support-center.cn');
    expect(flat).toContain('2026-11-1912:12(+0900)');
    expect(flat).toContain('hxxps://www[.]amazon[.]co[.]jp[.]signin-secure[.]cn/ap/signin');
    expect(text).toMatch(/付録 1/);
    expect(flat).toContain('Received:frommail.support-center.cn');
    expect(text).not.toMatch(/https?:\/\/www\.amazon\.co\.jp\.signin-secure\.cn/);
    const c = JSON.parse(run(['case', 'show', 'C-20261121-1', '--json']).stdout);
    expectNothingForTheUser(
      text,
      c.mails.map((m: { subject: string }) => m.subject),
    );
  });

  it('Amazon: the orders to cancel or refund and the changes to reverse; consumer centre: the story and what is open', () => {
    const md = join(home, 'amazon.md');
    run(['report', '--case', 'C-20261121-1', '--format', 'md', '--for', 'amazon', '--out', md]);
    const a = readFileSync(md, 'utf8');
    expect(a).toContain('## 取り消し・返金をお願いする注文');
    for (const id of ['D01-2222222-0000005', 'D01-2222222-0000008', '249-2222222-0000009'])
      expect(a).toContain(id);
    expect(a).toContain('佐藤 一郎 大阪府大阪市 転送センター気付');
    expect(a).not.toContain('hxxp');
    expectNothingForTheUser(a);
    const cc = join(home, 'cc.md');
    run(['report', '--case', 'C-20261121-1', '--format', 'md', '--for', 'consumer-centre', '--out', cc]);
    const s = readFileSync(cc, 'utf8');
    for (const h of ['## 経過', '## 連絡・対応の記録', '## まだ終わっていないこと']) expect(s).toContain(h);
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
    expect(h).toContain('Orders to cancel or refund');
    expect(h).not.toMatch(/<script|href=/i);
  });

  it('a card asked for when the statement does not say: --card-last4 is on the card report', async () => {
    const other = mkdtempSync(join(tmpdir(), 'mamori-card-'));
    const env2 = { MAMORI_HOME: other, MAMORI_TODAY: '2026-11-21' };
    const id = JSON.parse(
      mamori(['case', 'new', '--situation', 'unknown-charge', '--card-last4', '５６７８', '--json'], {
        env: env2,
      }).stdout,
    ).id;
    const out = join(other, 'card.md');
    mamori(['report', '--case', id, '--format', 'md', '--for', 'card', '--out', out], { env: env2 });
    expect(readFileSync(out, 'utf8')).toContain('カード番号の下4桁: 5678');
  });

  it('the CSV of disputed charges is safe against spreadsheet formulas', () => {
    const csv = join(home, 'c.csv');
    expect(run(['report', '--case', 'C-20261121-1', '--format', 'csv', '--out', csv]).status).toBe(0);
    const text = readFileSync(csv, 'utf8');
    expect(text).toContain('D01-2222222-0000005');
    // Every header in one language.
    expect(text.split('\r\n')[0]).not.toMatch(/[a-z]/i);
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

describe('another brand in the person’s language', () => {
  const sms =
    '【楽天カード】お客様のカードの利用を一時停止しました。本人確認のため、こちらから情報を更新してください https://rakuten-card-verify.top/e-navi/login\n';
  it('a 楽天カード phishing SMS: its plan named in the advice; English says Rakuten Card, Japanese 楽天カード', () => {
    const en = mamori(['check', '-', '--lang', 'en'], { input: sms });
    expect(en.stdout).toContain('Brand Rakuten Card');
    expect(en.stdout).toContain('--brand rakuten-card');
    expect(en.stdout).not.toContain('楽天カード');
    const ja = mamori(['check', '-'], { input: sms });
    expect(ja.stdout).toContain('ブランド 楽天カード');
    expect(ja.stdout).toContain('--brand rakuten-card');
  });
});
