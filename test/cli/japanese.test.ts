import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { eventKinds, stepStatuses } from '#core/case/case.ts';
import { situations } from '#core/knowledge/constants.ts';
import { audiences } from '#core/report/report.ts';
import { PROVIDER_IDS } from '#core/mail/providers.ts';
import { mamori, type Run } from '../helpers/cli.ts';

/**
 * Japanese output must not fall back to English. What may stay in Latin letters: brand and service names,
 * acronyms, commands and the values a person types (options, situations, statuses …), and what mamori quotes
 * from the input as it is (file names, URLs, mail addresses, the mail's own headers and text in `▸` lines).
 */
const knowledge = loadKnowledge();
const ALLOWED = new Set(
  [
    // brands, services, places
    'Amazon',
    // "QRコード" is how Japanese writes it; image formats named in the picture messages
    'QR',
    'HEIC',
    'GIF',
    'PNG',
    'JPEG',
    'Prime',
    'Kindle',
    'Unlimited',
    'Audible',
    'Music',
    'Video',
    'Pay',
    'PayPay',
    'Apple',
    'Google',
    'Gmail',
    'Yahoo',
    'iPhone',
    'iCloud',
    'Outlook',
    'Microsoft',
    'Windows',
    'Debian',
    'Ubuntu',
    'JCB',
    'MyJCB',
    'Vpass',
    'VISA',
    'NAVI',
    'Net',
    'JR',
    'OFX',
    'QFX',
    'NTT',
    'FTC',
    'APWG',
    'FBI',
    'IC3',
    'US',
    // acronyms and formats
    'CSV',
    'PDF',
    'HTML',
    'ID',
    'IMAP',
    'JSON',
    'DNS',
    'DKIM',
    'SPF',
    'DMARC',
    'URL',
    'SMS',
    'OS',
    'JPY',
    'USD',
    'zip',
    'eml',
    'msg',
    'mbox',
    'ics',
    'csv',
    'pdf',
    'html',
    'md',
    'ttf',
    'ttc',
    'Ctrl',
    'Enter',
    'Click',
    'FAQ',
    'IP',
    'SSN',
    'Play',
    'Received',
    // laws and the labels of English-language sites (the US playbook), quoted as the person will find them
    'Regulation',
    'Help',
    'Contact',
    'Activity',
    'provisional',
    'Compromised',
    'account',
    'Start',
    'Alexa',
    // commands and what people type
    'mamori',
    'npm',
    'sudo',
    'apt',
    'get',
    'check',
    'import',
    'reconcile',
    'watch',
    'config',
    'provider',
    'imap',
    'imaps',
    'maildir',
    'mbox',
    // mail providers' names (watch --preset)
    'fastmail',
    'proton',
    'bridge',
    'plan',
    'case',
    'report',
    'demo',
    'serve',
    'export',
    'help',
    'new',
    'list',
    'show',
    'step',
    'event',
    'checkup',
    'ja',
    'en',
    'jp',
    'us',
    'on',
    'off',
    'yes',
    'no',
    'credit',
    'debit',
    'prepaid',
    'date',
    'description',
    'amount',
    ...stepStatuses,
    ...audiences,
  ].map((w) => w.toLowerCase()),
);

/** Values people type, whole (`unknown-charge`, `contacted-card`, `card-stop`): their parts are not allowed alone. */
const VALUES = [
  ...situations,
  ...eventKinds,
  ...audiences,
  ...PROVIDER_IDS,
  ...knowledge.playbooks.flatMap((p) => p.steps.map((s) => s.id)),
  'add-mail',
  'add-charges',
  'fonts-noto-cjk',
  'apt-get',
  'A-to-z',
  'e-NAVI',
].sort((a, b) => b.length - a.length);
const VALUE_RE = new RegExp(
  `(?<![\\w-])(?:${VALUES.map((v) => v.replace(/[-.]/g, '\\$&')).join('|')})(?![\\w-])`,
  'g',
);

/**
 * The Latin words left in `text` once quotes of the input and the allowed words are taken out. `typed` are the
 * words of the command line, which a message may quote back.
 */
export function englishWords(text: string, typed: string[] = []): string[] {
  const echo = new Set(typed.flatMap((a) => a.match(/[A-Za-z]+/g) ?? []).map((w) => w.toLowerCase()));
  const stripped = text
    .split('\n')
    // Evidence lines quote the mail as it is.
    .filter((l) => !/^\s*▸/.test(l))
    .join('\n')
    .replace(/`[^`]*`/g, ' ')
    // 「…」 quotes the input (a phrase of the mail, a column of the CSV) or a screen's name, as it is.
    .replace(/「[^」]*」/g, ' ')
    .replace(/\b\w+=[\w.@-]+/g, ' ')
    .replace(/(?:[\w&-]+ )*[\w&-]+\.(?:csv|zip|eml|msg|mbox|pdf|ofx|qfx|txt|json|ics|md|html)\b/gi, ' ')
    .replace(/\bMAMORI_[A-Z_]+\b/g, ' ')
    .replace(/\b(?:hxxps?|https?):\/\/\S+/gi, ' ')
    .replace(/\S+@\S+/g, ' ')
    .replace(/\S*[\\/]\S*/g, ' ')
    .replace(/--[a-z][a-z-]*(=\S*)?/g, ' ')
    .replace(/\b[\w-]+(?:\[?\.\]?[\w-]+)+\b/g, ' ') // file names, domains, ids with dots
    .replace(/\bC-\d{8}-\d+\b/g, ' ')
    .replace(/\b(?:D01|\d{3})-\d{7}-\d{7}\b/g, ' ')
    .replace(/\.[a-z]{2,}\b/g, ' ')
    .replace(/\b[A-Z][A-Z0-9_]+=\S*/g, ' ')
    .replace(VALUE_RE, ' ');
  // Card statements print merchants in capitals (AMAZON DOWNLOADS): those are quotes of the statement.
  const words = (stripped.match(/\b[A-Za-z][A-Za-z0-9]+\b/g) ?? []).filter(
    (w) => !/^[A-Z][A-Z0-9]{3,}$/.test(w),
  );
  return [...new Set(words.filter((w) => !ALLOWED.has(w.toLowerCase()) && !echo.has(w.toLowerCase())))];
}

const ruleIds = [...knowledge.rules.map((r) => r.id), ...knowledge.riskRules.map((r) => r.id)];

function expectJapanese(label: string, r: Run, opts: { detail?: boolean; typed?: string[] } = {}) {
  const text = `${r.stdout}\n${r.stderr}`;
  expect(text, label).not.toMatch(/\n\s+at |Error:|\[[a-z]+\.[a-z.-]+\]/);
  expect(englishWords(text, opts.typed ?? label.split(' ')), label).toEqual([]);
  if (!opts.detail)
    expect(
      ruleIds.filter((id) => text.includes(`(${id})`)),
      label,
    ).toEqual([]);
}

describe('every command and error path speaks Japanese when ja is chosen', () => {
  const home = mkdtempSync(join(tmpdir(), 'mamori-ja-'));
  const env = {
    MAMORI_HOME: join(home, 'store'),
    MAMORI_TODAY: '2026-11-21',
    MAMORI_NOW: '2026-11-21T23:30+09:00',
  };
  const phish = 'test/fixtures/mail/phish/jp-account-suspended-lookalike.eml';
  const scen = (n: string, f: string) => `test/fixtures/ledger/scenarios/${n}/${f}`;
  const file = (name: string, content: string | Uint8Array) => {
    const p = join(home, name);
    writeFileSync(p, content);
    return p;
  };

  it('the self-test knows English when it sees it', () => {
    expect(englishWords('フィッシング詐欺です: error: unknown option')).toEqual([
      'error',
      'unknown',
      'option',
    ]);
    expect(englishWords('Amazon の CSV を `mamori import x.csv` で --map date=利用日')).toEqual([]);
  });

  it('help of every command', () => {
    const commands = [
      [],
      ['check'],
      ['import'],
      ['reconcile'],
      ['watch'],
      ['plan'],
      ['case'],
      ...['new', 'list', 'show', 'step', 'event', 'add-mail', 'add-charges', 'checkup', 'ics'].map((c) => [
        'case',
        c,
      ]),
      ['report'],
      ['demo'],
      ['serve'],
      ['export'],
      ['config'],
      ['config', 'provider'],
    ];
    for (const c of commands) {
      const r = mamori([...c, '--help'], { env });
      expect(r.status, c.join(' ')).toBe(0);
      expectJapanese(`${c.join(' ')} --help`, r);
    }
    expectJapanese('help check', mamori(['help', 'check'], { env }));
  });

  it('commander errors: unknown option, unknown command, missing argument or option', () => {
    const cases: string[][] = [
      ['check', '--bogus', phish],
      ['chek'],
      ['case', 'frobnicate'],
      ['import'],
      ['case', 'step', 'C-1'],
      ['case', 'step', 'C-1', 'x', '--status'],
      ['report'],
      ['check', '--provider', 'hotmail', phish],
      ['case', 'show', 'C-1', 'C-2'],
      ['check', '--jsn', phish],
    ];
    for (const c of cases) {
      const r = mamori(c, { env });
      expect(r.status, c.join(' ')).toBe(2);
      expect(r.stderr.trim(), c.join(' ')).not.toBe('');
      expectJapanese(c.join(' '), r);
    }
    expect(mamori(['check', '--jsn', phish], { env }).stderr).toContain('--json');
  });

  it('validation messages', () => {
    expect(mamori(['case', 'new', '--situation', 'unknown-charge'], { env }).status).toBe(0);
    const cases: string[][] = [
      ['plan', '--situation', 'hacked'],
      ['plan', '--situation', 'entered-card', '--noticed', '2026-02-30'],
      ['plan', '--situation', 'entered-card', '--noticed', '2027-01-01'],
      ['plan'],
      ['check'],
      ['import', 'x.csv', '--map', 'date=日付'],
      ['import', 'x.csv', '--currency', 'EUR'],
      ['case', 'checkup', 'C-20261121-1', '--two-step', 'maybe'],
      ['case', 'step', 'C-20261121-1', 'fly', '--status', 'done'],
      ['case', 'event', 'C-20261121-1', 'party'],
      ['case', 'show', 'C-9'],
      ['report', '--case', 'C-20261121-1', '--format', 'docx'],
      ['report', '--case', 'C-20261121-1', '--for', 'mayor'],
    ];
    for (const c of cases) {
      const r = mamori(c, { env });
      expect(r.status, c.join(' ')).toBe(2);
      expectJapanese(c.join(' '), r);
    }
  });

  it('a bad --lang is said in both languages, Japanese first', () => {
    const r = mamori(['check', phish, '--lang', 'fr'], { env });
    expect(r.status).toBe(2);
    expect(englishWords(r.stderr.split('\n')[0]!, ['fr'])).toEqual([]);
  });

  it('check: verdicts (short first), pasted text, PDFs and pictures, unreadable files', () => {
    const r = mamori(['check', phish], { env });
    expectJapanese('check', r);
    const lines = r.stdout.split('\n');
    // One sentence, then at most three numbered actions, then the rest.
    expect(lines[0]).toContain('フィッシング詐欺です');
    const actions = lines.slice(1).findIndex((l) => !/^\s+\d\./.test(l));
    expect(actions).toBeGreaterThan(0);
    expect(actions).toBeLessThanOrEqual(3);
    expect(r.stdout.indexOf('根拠')).toBeGreaterThan(r.stdout.indexOf('1.'));
    const detail = mamori(['check', phish, '--detail'], { env });
    expect(detail.stdout).toContain('(link.lookalike-host)');
    expectJapanese('check --detail', detail, { detail: true });

    const pasted = mamori(['check', '-'], {
      env,
      input: 'Amazon お客様\nアカウントを確認してください https://amzn-verify.example/x\n',
    });
    expect(pasted.stdout).toContain('貼り付けたテキスト');
    expect(pasted.stdout).not.toMatch(/ファイル: -$/m);
    expectJapanese('check -', pasted);

    const pdf = file('mail.pdf', '%PDF-1.7\n1 0 obj << >> endobj\n');
    const png = file(
      'screenshot.png',
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
    );
    const heic = file('IMG_0001.HEIC', new Uint8Array([0, 0, 0, 24, ...Buffer.from('ftypheic'), 0, 0, 0, 0]));
    const bad = mamori(['check', pdf, png, heic, join(home, 'missing.eml'), home], { env });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('PDF');
    expect(bad.stderr).toContain('画像');
    expectJapanese('check pdf/png/missing', bad);
    expectJapanese(
      'check --orders missing',
      mamori(['check', phish, '--orders', join(home, 'nope.zip')], { env }),
    );
    expectJapanese(
      'check --orders no ids',
      mamori(['check', phish, '--orders', file('ids.txt', 'nothing here')], { env }),
    );
  });

  it('import and reconcile: layouts by name, content recognised, columns guessed, folders without permission', () => {
    const ok = mamori(
      ['import', scen('household', 'amazon-export.zip'), scen('household', 'rakuten-card.csv')],
      {
        env,
      },
    );
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('楽天カード');
    expect(ok.stdout).not.toMatch(/statement:|Your Amazon Orders\//);
    expectJapanese('import', ok);
    expectJapanese('reconcile', mamori(['reconcile'], { env }));
    expectJapanese(
      'reconcile files',
      mamori(
        [
          'reconcile',
          '--orders',
          scen('hijacked', 'amazon-export.zip'),
          '--statement',
          scen('hijacked', 'vpass.csv'),
        ],
        {
          env,
        },
      ),
    );

    const pdf = mamori(['import', file('meisai.pdf', '%PDF-1.4\n'), file('meisai2.csv', '%PDF-1.4\n')], {
      env,
    });
    expect(pdf.status).toBe(1);
    expect(pdf.stderr).toContain('CSV');
    expectJapanese('import pdf', pdf);

    const headerOnly = mamori(['import', file('empty-period.csv', 'ご利用日,ご利用先,ご利用金額\n')], {
      env,
    });
    expect(headerOnly.stderr).toContain('見出しの行だけ');
    expectJapanese('import header only', headerOnly);

    const guessed = mamori(
      [
        'import',
        file('bank.csv', 'とりひき日,お店,きんがく\n2026/10/01,AMAZON.CO.JP,1200\n2026/10/03,セブン,300\n'),
      ],
      { env },
    );
    expect(guessed.status).toBe(0);
    expect(guessed.stdout).toContain('--map date=とりひき日,description=お店,amount=きんがく');
    expectJapanese('import guessed', guessed);

    const unknown = mamori(['import', file('odd.csv', 'a,b,c\nx,y,z\n')], { env });
    expectJapanese('import unknown layout', unknown);
    expectJapanese('import missing', mamori(['import', join(home, 'nope.csv')], { env }));
    expectJapanese(
      'reconcile empty',
      mamori(['reconcile'], { env: { ...env, MAMORI_HOME: join(home, 'empty') } }),
    );

    if (process.getuid?.() !== 0) {
      const locked = join(home, 'locked');
      mkdirSync(locked);
      writeFileSync(join(locked, 'a.csv'), 'x');
      chmodSync(locked, 0o000);
      try {
        const r = mamori(['import', locked], { env });
        expect(r.status).toBe(1);
        expect(r.stderr).toContain('権限');
        expectJapanese('import locked folder', r);
        const rec = mamori(['reconcile', '--statement', locked], { env });
        expectJapanese('reconcile locked folder', rec);
      } finally {
        chmodSync(locked, 0o700);
      }
    }
  });

  it('store and --out that cannot be written: said, no stack trace', () => {
    const blocker = file('not-a-folder', 'x');
    const store = mamori(['import', scen('household', 'rakuten-card.csv')], {
      env: { ...env, MAMORI_HOME: join(blocker, 'store') },
    });
    expect(store.status).toBe(1);
    expect(store.stderr).toContain('MAMORI_HOME');
    expectJapanese('store cannot be created', store);

    const out = mamori(['case', 'ics', 'C-20261121-1', '--out', join(home, 'no-such-folder', 'x.ics')], {
      env,
    });
    expect(out.status).toBe(1);
    expect(out.stderr).toContain('--out');
    expectJapanese('--out in a missing folder', out);
    const dir = mamori(['report', '--case', 'C-20261121-1', '--format', 'md', '--out', home], { env });
    expect(dir.status).toBe(1);
    expectJapanese('--out is a folder', dir);
    if (process.getuid?.() !== 0) {
      const ro = join(home, 'read-only');
      mkdirSync(ro);
      chmodSync(ro, 0o500);
      try {
        const r = mamori(['report', '--case', 'C-20261121-1', '--format', 'md', '--out', join(ro, 'r.md')], {
          env,
        });
        expect(r.stderr).toContain('権限');
        expectJapanese('--out without permission', r);
      } finally {
        chmodSync(ro, 0o700);
      }
    }
  });

  it('plan, case and report', () => {
    const id = 'C-20261121-1';
    const runs: [string, string[], string?][] = [
      ['plan', ['plan', '--situation', 'entered-card,unknown-charge', '--first-charge', '2026/11/01']],
      ['plan us', ['plan', '--situation', 'unknown-charge', '--region', 'us', '--card', 'debit']],
      ['plan case', ['plan', '--case', id]],
      ['case list', ['case', 'list']],
      ['case show', ['case', 'show', id]],
      ['case step', ['case', 'step', id, '1', '--status', 'done', '--note', '受付番号 A-123']],
      ['case event', ['case', 'event', id, 'contacted-card']],
      ['case add-mail', ['case', 'add-mail', id, phish]],
      ['case add-charges', ['case', 'add-charges', id]],
      ['case checkup', ['case', 'checkup', id, '--password-stdin', '--two-step', 'off'], 'password1\n'],
      ['case ics', ['case', 'ics', id, '--out', join(home, 'case.ics')]],
      ['report', ['report', '--case', id, '--format', 'md', '--out', join(home, 'r.md')]],
      ['demo', ['demo']],
    ];
    for (const [label, args, input] of runs) {
      const r = mamori(args, { env, ...(input ? { input } : {}) });
      expect(r.status, `${label}: ${r.stderr}`).toBeLessThanOrEqual(1);
      expectJapanese(label, r);
    }
    const ics = mamori(['case', 'ics', id, '--out', join(home, 'case2.ics')], { env });
    expect(ics.stdout).toContain(join(home, 'case2.ics'));
  });
});
