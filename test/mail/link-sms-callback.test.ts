import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linkOfShortcut } from '#adapters/input/link-file.ts';
import { readInputs } from '#adapters/input/mail-input.ts';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { checkMessage, type CheckResult } from '#core/check/index.ts';

const knowledge = loadKnowledge();

async function check(text: string): Promise<CheckResult> {
  const o = await checkMessage(new TextEncoder().encode(text), knowledge);
  if (!o.ok) throw new Error(o.problem.code);
  return o.result;
}
const ids = (r: CheckResult) => r.findings.map((f) => f.id);

// Issue 10, point 1: a link on its own gets a link verdict with evidence, never `unrelated`.
describe('a link on its own', () => {
  const cases: [string, CheckResult['verdict'], string[]][] = [
    ['https://www.amazon.co.jp/gp/css/order-history', 'legitimate', ['link.official']],
    ['https://www.rakuten-card.co.jp/e-navi/', 'legitimate', ['link.official']],
    [
      'https://kh7g7gwe4.example.workers.dev/ap/signin?openid.return_to=x',
      'phishing',
      ['link.brand-path', 'link.free-hosting'],
    ],
    ['https://prime-update-jp.web.app/', 'phishing', ['link.free-hosting']],
    ['https://someone.github.io/amazon/', 'phishing', ['link.free-hosting']],
    ['https://3f2a-203-0-113-9.ngrok-free.app/', 'phishing', ['link.dynamic-host']],
    ['http://amzn-jp.duckdns.org/', 'phishing', ['link.dynamic-host']],
    ['http://203.0.113.7/amazon.co.jp/signin', 'phishing', ['link.ip-literal', 'link.brand-path']],
    ['https://xn--80ak6aa92e.com/', 'phishing', ['link.punycode']],
    ['https://www.amazon.co.jp@evil.example/', 'phishing', ['link.hidden-host']],
    ['https://www.amazon.co.jp.signin-secure.cn/', 'phishing', ['link.lookalike-host']],
    ['https://secure-jp.example.net/verify-billing?id=1', 'phishing', ['link.sign-in-path']],
    ['https://prime-kaihi.top/', 'phishing', ['link.unusual-tld']],
    ['https://example.com/hello', 'suspicious', []],
    ['https://bit.ly/3abcDEF', 'suspicious', ['link.shortener']],
    ['これ大丈夫？ https://example.org/news/2026', 'suspicious', []],
  ];
  for (const [url, verdict, want] of cases)
    it(`${url} → ${verdict}`, async () => {
      const r = await check(url + '\n');
      expect(r.shape).toBe('link');
      expect(r.verdict).toBe(verdict);
      for (const id of want) expect(ids(r)).toContain(id);
      expect(r.headline.id).toBe(
        verdict === 'legitimate'
          ? 'link-official'
          : verdict === 'phishing'
            ? 'link-dangerous'
            : 'link-unconfirmed',
      );
      // A link claims nothing about a sender: no "unverified claim" for it.
      expect(ids(r)).not.toContain('auth.unverified-claim');
    });

  it('names the brand whose site it is', async () => {
    const r = await check('https://www.amazon.co.jp/gp/css/order-history\n');
    expect(r.brand).toBe('amazon-jp');
    expect(r.headline.params).toMatchObject({ brand: 'Amazon.co.jp', domain: 'amazon.co.jp' });
  });

  it('reads a storefront domain spelled with dashes in a host as the brand, and only at a word start', async () => {
    const hit: [string, string][] = [
      ['https://nta-go-jp.com/etax', 'nta'],
      ['https://kokuzei-nta.com/', 'nta'],
      ['https://amazon-co-jp.login-account.online/', 'amazon-jp'],
      ['https://smbc-card-com.secure-login.example/', 'smbc-card'],
    ];
    for (const [url, brand] of hit) {
      const r = await check(url + '\n');
      expect(r.verdict, url).toBe('phishing');
      expect(r.brand, url).toBe(brand);
      expect(ids(r), url).toContain('link.lookalike-host');
    }
    // Must not: the official site itself, and a name that only ends like one.
    const official = await check('https://www.nta.go.jp/taxes/\n');
    expect(official.verdict).toBe('legitimate');
    const other = await check('https://www.santa-go-jp.example/\n');
    expect(ids(other)).not.toContain('link.lookalike-host');
    expect(other.brand).toBeNull();
  });

  it('is never unrelated', async () => {
    for (const u of [
      'https://a.example/',
      'http://localhost:8080/x',
      'https://news.example.co.uk/a?b=c',
      'www.example.jp',
    ])
      expect((await check(u + '\n')).verdict, u).not.toBe('unrelated');
  });
});

// Point 2: callback scams (TOAD).
describe('callback scams', () => {
  it('a fake order with a number to call, pasted, is phishing', async () => {
    const r = await check(
      'Amazon.co.jp ご注文の確認\nご注文ありがとうございます。\nApple iPhone 15 Pro 256GB お支払い金額：¥189,800\nこのご注文にお心当たりがない場合は、24時間以内にサポートセンターまでお電話ください。\nサポートセンター：０５０－１２３４－５６７８\n',
    );
    expect(ids(r)).toContain('body.callback');
    expect(r.findings.find((f) => f.id === 'body.callback')!.params).toMatchObject({
      phone: '050-1234-5678',
    });
    expect(r.verdict).toBe('phishing');
  });
  it('an English one with the number in an image', async () => {
    const mail =
      'From: "Billing" <n@billing.example>\r\nSubject: Invoice\r\nContent-Type: text/html; charset=utf-8\r\n\r\n' +
      '<p>Your order has been placed. If you did not authorize this transaction, call us.</p><img src="https://x.example/i.png" alt="1-888-555-0187">';
    const r = await check(mail);
    expect(ids(r)).toContain('body.callback');
    expect(r.findings.find((f) => f.id === 'body.callback')!.params).toMatchObject({ where: 'image-alt' });
  });
  it('a phone number without an order or charge is not one', async () => {
    const r = await check('来週の打ち合わせの件、03-1234-5678 までお電話ください。よろしくお願いします。\n');
    expect(ids(r)).not.toContain('body.callback');
  });
});

// Point 3: pasted SMS.
describe('pasted SMS', () => {
  it('a Prime-fee lure with a short link is phishing, on SMS signals', async () => {
    const r = await check(
      '【Amazon】Amazonプライムの会費が未払いです。本日中にお支払い方法を更新してください。 https://bit.ly/3kPz9Qa\n',
    );
    expect(r.shape).toBe('sms');
    expect(r.verdict).toBe('phishing');
    expect(ids(r)).toEqual(expect.arrayContaining(['sms.brand-link', 'sms.shortener', 'sms.lure']));
  });
  it('a delivery failure on a dynamic-DNS host is phishing', async () => {
    const r = await check(
      'お客様宛にお荷物のお届けにあがりましたが不在のため持ち帰りました。配送物はこちらにてご確認ください。 http://sagawa-xy.duckdns.org/\n',
    );
    expect(r.shape).toBe('sms');
    expect(r.verdict).toBe('phishing');
    expect(ids(r)).toEqual(expect.arrayContaining(['sms.lure', 'link.dynamic-host']));
  });
  it('a genuine Amazon one-time code (no link) is not flagged by any SMS rule', async () => {
    const r = await check(
      '123456 はAmazonのワンタイムパスワードです。このコードを誰にも教えないでください。\n',
    );
    expect(r.shape).toBe('sms');
    expect(ids(r).filter((id) => id.startsWith('sms.') || id.startsWith('link.'))).toEqual([]);
    expect(r.verdict).not.toBe('phishing');
  });
});

// Point 4: a brand lure that asks for nothing.
describe('brand lures', () => {
  it("a reward in Amazon Prime's name, with links elsewhere, is phishing", async () => {
    const mail =
      'Received: from mail.sender.example (unknown [203.0.113.9]) by mx.example.jp with ESMTP; Thu, 19 Nov 2026 03:12:00 +0000\r\n' +
      'From: "Amazon Prime" <n@mail.example>\r\nSubject: Start the day with a bonus from Amazon Prime\r\n' +
      'Content-Type: text/html; charset=utf-8\r\n\r\n<p>You have been selected.</p><a href="https://reward-center.example.net/c">Open</a>';
    const r = await check(mail);
    expect(ids(r)).toContain('text.brand-lure');
    expect(r.verdict).toBe('phishing');
  });
});

describe('internet shortcut files', () => {
  it('reads the link of a .url and a .webloc', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(
      linkOfShortcut('.url', enc('[InternetShortcut]\r\nURL=https://a.example/x\r\nIconIndex=0\r\n')),
    ).toBe('https://a.example/x');
    expect(
      linkOfShortcut(
        '.webloc',
        enc('<plist><dict><key>URL</key><string>https://a.example/?a=1&amp;b=2</string></dict></plist>'),
      ),
    ).toBe('https://a.example/?a=1&b=2');
    expect(linkOfShortcut('.url', enc('[InternetShortcut]\r\n'))).toBeNull();
  });
  it('checks a .url file as a link on its own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mamori-link-'));
    writeFileSync(
      join(dir, 'a.url'),
      '[InternetShortcut]\r\nURL=https://amazon-jp-signin.workers.dev/ap/signin\r\n',
    );
    const items = [];
    for await (const it of readInputs([dir], knowledge.scoring.limits)) items.push(it);
    expect(items).toHaveLength(1);
    const item = items[0]!;
    if (!('bytes' in item) || !item.bytes) throw new Error('not read');
    const o = await checkMessage(item.bytes, knowledge);
    expect(o.ok && o.result.shape).toBe('link');
    expect(o.ok && o.result.verdict).toBe('phishing');
  });
});

// Issue 10, SMS: a genuine SMS from a brand (a code with no link, or only the brand's own link) is not flagged.
describe('a genuine-looking SMS is not flagged, and no worse than its link on its own', () => {
  it('an Amazon one-time code with no link: legitimate, read as a code notice', async () => {
    const r = await check('Amazon: 認証コードは 482913 です。このコードを他人に教えないでください。');
    expect(r.verdict).toBe('legitimate');
    expect(ids(r)).toContain('notice.code');
    expect(r.headline.id).toBe('security-notice');
  });

  it('an SMS whose only link is on amazon.co.jp: the same verdict and headline as that link pasted alone', async () => {
    const url = 'https://www.amazon.co.jp/gp/css/order-history';
    const alone = await check(url);
    const sms = await check(`Amazon.co.jp: ご注文の商品を発送しました。配送状況 ${url}`);
    expect(sms.verdict).toBe(alone.verdict);
    expect(sms.headline.id).toBe('link-official');
    expect(sms.brand).toBe('amazon-jp');
  });

  it('must not: a code SMS with a phone number to call, a lure, or a link off the brand is flagged', async () => {
    const phone = await check('Amazon: ご注文がキャンセルされました。お問い合わせは 050-1234-5678 まで');
    expect(phone.verdict).not.toBe('legitimate');
    const lure = await check('Amazonプライムの会費が未払いです。本日中にお支払いください');
    expect(lure.verdict).not.toBe('legitimate');
    expect(ids(lure)).toContain('text.payment-lure');
    const off = await check(
      '【Amazon】プライム会費のお支払いに問題があります。 https://amazon-prime-jp.xyz/pay',
    );
    expect(off.verdict).toBe('phishing');
    expect(ids(off)).toContain('sms.brand-link');
  });
});
