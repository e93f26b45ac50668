import { describe, expect, it } from 'vitest';
import { readNoticeFiles, readTestChargeFile, toNoticeKnowledge } from '#adapters/knowledge/notices.ts';
import {
  noticeTemplateFor,
  parseAmazonOrderMail,
  parseNoticeText,
  testChargeOf,
} from '#core/notices/index.ts';

const files = readNoticeFiles();
const tests = readTestChargeFile();
const knowledge = toNoticeKnowledge(files, tests);

describe('card-notice templates (data/notices)', () => {
  for (const f of files)
    describe(f.id, () => {
      it('has cases that must find charges and cases that must not', () => {
        expect(f.cases.some((c) => c.charges.length > 0)).toBe(true);
        expect(f.cases.some((c) => c.charges.length === 0)).toBe(true);
      });
      for (const c of f.cases)
        it(c.name, () => {
          const t = noticeTemplateFor(f.senders[0]!, c.subject, knowledge);
          expect(t?.id).toBe(f.id);
          const got = parseNoticeText(c.text, t!, c.subject)?.charges ?? [];
          expect(got).toEqual(c.charges);
        });
      it('a look-alike sender with its subject is not matched', () => {
        const [local, domain] = f.senders[0]!.split('@');
        for (const from of [
          `${local}@${domain}.example`,
          `${local}@x-${domain}`,
          `${local}-${domain}@gmail.com`,
        ])
          expect(noticeTemplateFor(from, f.cases[0]!.subject, knowledge)).toBe(null);
      });
    });

  it('a notice from another sender is not matched', () => {
    expect(
      noticeTemplateFor('mail@qa-jcb.example', 'JCBカード／ショッピングご利用のお知らせ', knowledge),
    ).toBe(null);
  });
});

describe('Amazon order mails', () => {
  it('reads order number, date, item and total', () => {
    const o = parseAmazonOrderMail(
      'auto-confirm@amazon.co.jp',
      'Amazon.co.jp ご注文の確認 249-1234567-7654321',
      '注文番号: 249-1234567-7654321\n注文日: 2026/11/19\n商品: 無印良品 ノート B5 5冊組\n合計: ￥ 1,290\n',
    );
    expect(o).toEqual({
      kind: 'order',
      orderId: '249-1234567-7654321',
      date: '2026-11-19',
      items: ['無印良品 ノート B5 5冊組'],
      total: 1290,
    });
  });
  it('a digital order is digital; another sender is not an order mail', () => {
    expect(parseAmazonOrderMail('auto-confirm@amazon.co.jp', 'D01-1234567-7654321', '')?.kind).toBe(
      'digital',
    );
    expect(parseAmazonOrderMail('store-news@amazon.co.jp', 'x', '')).toBe(null);
  });
});

describe('small "test" charges (data/notices/test-charges.yaml)', () => {
  it('has cases that must hit and cases that must not', () => {
    expect(tests.cases.some((c) => c.expect !== null)).toBe(true);
    expect(tests.cases.some((c) => c.expect === null)).toBe(true);
  });
  for (const c of tests.cases)
    it(c.name, () => {
      const facts = c.charges.map((x) => ({ ...x, issuer: 'jcb' }));
      const last = facts[facts.length - 1]!;
      const got = testChargeOf(last, facts.slice(0, -1), knowledge.testCharges);
      expect(got?.pattern ?? null).toBe(c.expect);
      if (c.paired !== undefined) expect(got?.earlier !== null).toBe(c.paired);
    });
});
