import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectLayout, layoutFromMapping, parseStatement } from '#core/ledger/statements.ts';
import type { StatementLayout } from '#core/knowledge/schema.ts';
import { repoRoot } from '../helpers/cli.ts';
import { knowledge } from '../helpers/ledger.ts';

const st = (f: string) => join(repoRoot, 'test/fixtures/ledger/statements', f);
const shared = (f: string) => join(repoRoot, 'test/fixtures/ledger/shared', f);
const parse = (path: string, mapping?: StatementLayout) =>
  parseStatement(readFileSync(path), path, knowledge.statements, mapping);

describe('card statements: layout detected, charges read', () => {
  const cases: [string, string, { date: string; description: string; amount: number }[]][] = [
    [
      st('jcb-sjis.csv'),
      'jcb',
      [
        { date: '2026-11-04', description: 'AMAZON.CO.JP', amount: 3980 },
        { date: '2026-11-05', description: 'JR東日本', amount: 1500 },
      ],
    ],
    [
      st('epos-sjis.csv'),
      'epos',
      [
        { date: '2026-11-04', description: 'AMAZON.CO.JP', amount: 3980 },
        { date: '2026-11-05', description: 'モバイルスイカ', amount: 3000 },
      ],
    ],
    [
      st('rakuten-utf8-bom.csv'),
      'rakuten',
      [{ date: '2026-11-04', description: 'AMAZON.CO.JP', amount: 3980 }],
    ],
    [st('rakuten-utf16.csv'), 'rakuten', [{ date: '2026-11-04', description: 'AMAZON.CO.JP', amount: 3980 }]],
    [
      st('chase.csv'),
      'chase',
      [
        { date: '2026-11-04', description: 'AMZN Mktp US*AB12CD', amount: 23.49 },
        { date: '2026-11-06', description: 'Amazon.com*A12345', amount: 10 },
        { date: '2026-11-09', description: 'AMZN Mktp US*ZZ99', amount: -23.49 },
      ],
    ],
    [
      st('amex-us.csv'),
      'amex-us',
      [{ date: '2026-11-04', description: 'AMZN MKTP US*AB12CD', amount: 23.49 }],
    ],
    [
      st('capital-one.csv'),
      'capital-one',
      [
        { date: '2026-11-04', description: 'AMAZON.COM*AB12CD', amount: 23.49 },
        { date: '2026-11-09', description: 'AMAZON.COM*AB12CD', amount: -23.49 },
      ],
    ],
    [st('card.ofx'), 'ofx', [{ date: '2026-11-04', description: 'AMZN Mktp US*AB12CD', amount: 23.49 }]],
    [shared('jp_paypaycard_zaimcsvconverter_202208.csv'), 'paypay', []],
    [
      shared('jp_vpass_style_goldpointcardplus_201912_sjis.csv'),
      'vpass-fixed',
      [
        { date: '2020-07-03', description: '東京電力 電気料金等', amount: 11402 },
        { date: '2020-07-03', description: 'AMAZON WEB SERVICES (AWS.AMAZON.CO)', amount: 66 },
        { date: '2020-07-04', description: 'AMAZON.CO.JP', amount: 3456 },
      ],
    ],
    [shared('jp_vpass_style_goldpointcardplus_201807_nonfixed_sjis.csv'), 'vpass-nonfixed', []],
    [shared('jp_viewcard_202005_sjis.csv'), 'view', []],
  ];
  for (const [file, layout, rows] of cases) {
    it(`${file.split('/').pop()} → ${layout}`, () => {
      const r = parse(file);
      expect(r.layout).toBe(layout);
      expect(r.charges.length).toBeGreaterThan(0);
      if (rows.length)
        expect(r.charges.map(({ date, description, amount }) => ({ date, description, amount }))).toEqual(
          rows,
        );
      for (const c of r.charges) expect(c.source.file).toBe(file);
    });
  }

  it('Saison: per-cardholder sections and footer rows', () => {
    const r = parse(st('saison-sjis.csv'));
    expect(r.layout).toBe('saison');
    expect(r.charges.map((c) => [c.amount, c.cardholder])).toEqual([
      [3980, '本人'],
      [1500, '家族'],
    ]);
  });

  it('Amex JP: the previous payment row is not a charge', async () => {
    const r = parse(join(repoRoot, 'test/fixtures/ledger/scenarios/innocent-panic/amex.csv'));
    expect(r.layout).toBe('amex-jp');
    expect(r.charges.some((c) => c.description.includes('口座振替'))).toBe(false);
    expect(r.charges.find((c) => c.date === '2026-11-04')?.description).toBe('アマゾン シーオージェーピー');
  });

  it('PayPay card: the sample from a real export reads as charges with the cardholder', () => {
    const r = parse(shared('jp_paypaycard_zaimcsvconverter_202208.csv'));
    expect(r.charges[0]).toMatchObject({
      date: '2022-07-29',
      description: 'PayPay チャージ',
      amount: 3000,
      cardholder: '本人*',
    });
  });

  it('an unknown layout whose columns can be told by their content is read with the guess, which is said', () => {
    const r = parse(st('other-bank.csv'));
    expect(r.guessed).toBe('date=日付,description=摘要内容,amount=支払い金額');
    expect(r.layout).toBe('guessed');
    expect(r.charges.length).toBeGreaterThan(0);
    expect(r.charges[0]).toMatchObject({ date: '2026-11-04', description: 'ヤマダ タロウ', amount: 10000 });
  });

  it('an unknown layout that cannot be guessed names the columns it saw and how to map them', () => {
    const bytes = new TextEncoder().encode('種別,名前,メモ,区分\nA,B,C,D\nE,F,G,H\n');
    const r = parseStatement(bytes, 'odd.csv', knowledge.statements);
    expect(r.charges).toEqual([]);
    expect(r.problems[0]).toMatchObject({
      code: 'unknown-layout',
      columns: ['種別', '名前', 'メモ', '区分'],
    });
  });

  it('a header without rows, a PDF and a picture are each said as such', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(
      parseStatement(enc('とりひき日,お店,きんがく\n'), 'a.csv', knowledge.statements).problems[0]?.code,
    ).toBe('header-only');
    expect(parseStatement(enc('%PDF-1.4\n'), 'a.csv', knowledge.statements).problems[0]?.code).toBe('pdf');
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
    expect(parseStatement(jpeg, 'a.csv', knowledge.statements).problems[0]?.code).toBe('image');
  });

  it('an explicit --map reads any CSV', () => {
    const mapping = layoutFromMapping('date=when,description=shop,amount=yen', 'JPY') as StatementLayout;
    expect(parse(st('custom-layout.csv'), mapping).charges).toMatchObject([
      { date: '2026-11-04', description: 'AMAZON.CO.JP', amount: 3980 },
    ]);
    expect(layoutFromMapping('date=when', 'JPY')).toMatch(/description/);
    expect(parse(st('other-bank.csv'), mapping).problems[0]?.code).toBe('bad-mapping');
  });

  it('an empty file and a file in a wrong encoding are problems, not crashes', () => {
    expect(parse(st('empty.csv')).problems[0]?.code).toBe('empty');
    const wrong = parse(st('wrong-encoding.csv'));
    expect(wrong.charges).toEqual([]);
    expect(wrong.problems[0]?.code).toBe('encoding');
  });
});

describe('layout detection never lets one layout take over another issuer’s file', () => {
  const rows = (csv: string) => csv.split('\n').map((l) => l.split(','));
  const layout = (id: string, require: string[]): StatementLayout => ({
    id,
    name: `card ${id}`,
    currency: 'JPY',
    source: 'test',
    require,
    columns: { date: require[0]!, description: require[1]!, amount: require[2]! },
    sign: 'charge-positive',
    dateOrder: 'ymd',
  });
  const core = layout('core', ['利用日', '利用店名・商品名', '利用金額']);
  const variant = layout('variant', ['利用日', '利用店名・商品名', '利用金額', '新規サイン']);
  const other = layout('other', ['利用日', '支払方法', '利用金額']);
  const file = rows(
    '利用日,利用店名・商品名,利用者,支払方法,利用金額,新規サイン\n2026/11/04,AMAZON.CO.JP,本人,1回払い,3980,*',
  );

  it('picks the layout more specific than every other (its columns include theirs), in any file order', () => {
    for (const order of [
      [core, variant],
      [variant, core],
    ]) {
      const r = detectLayout(file, order);
      expect(r.ok && r.layout.id).toBe('variant');
    }
  });

  it('refuses to choose between layouts that each match columns the other does not', () => {
    for (const order of [
      [core, other],
      [other, core],
      [core, variant, other],
    ]) {
      const r = detectLayout(file, order);
      expect(r.ok).toBe(false);
      if (!r.ok && r.code === 'ambiguous-layout')
        expect(r.candidates.map((l) => l.id).sort()).toEqual(order.map((l) => l.id).sort());
      else expect.unreachable('expected ambiguous-layout');
    }
  });

  it('an ambiguous file is a problem naming the candidates, with a message in both languages', () => {
    const bytes = new TextEncoder().encode(file.map((r) => r.join(',')).join('\r\n'));
    const r = parseStatement(bytes, 'card.csv', [other, core]);
    expect(r.charges).toEqual([]);
    expect(r.problems[0]).toMatchObject({
      code: 'ambiguous-layout',
      file: 'card.csv',
      candidates: ['other', 'core'],
      detail: 'card other (other), card core (core)',
    });
    for (const lang of ['ja', 'en'] as const)
      expect(knowledge.messages.get(lang)!.text['import.ambiguous-layout']).toMatch(/\{candidates\}.*--map/s);
  });

  it('two headerless shapes that both fit are ambiguous too', () => {
    const shape = (id: string): StatementLayout => ({
      id,
      name: id,
      currency: 'JPY',
      source: 'test',
      headerless: { cells: 3 },
      columns: { date: '0', description: '1', amount: '2' },
      sign: 'charge-positive',
      dateOrder: 'ymd',
    });
    const r = detectLayout(rows('2026/11/04,AMAZON.CO.JP,3980'), [shape('a'), shape('b')]);
    expect(!r.ok && r.code).toBe('ambiguous-layout');
  });
});
