import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { checkMessage } from '#core/check/index.ts';

const knowledge = loadKnowledge();

function mail(headers: string[], body: string): Uint8Array {
  const common = [
    'To: user@example.jp',
    'Date: Thu, 19 Nov 2026 03:12:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
  ];
  return new TextEncoder().encode([...headers, ...common, '', body].join('\r\n'));
}

const relay =
  'Received: from mail.sender.example (unknown [203.0.113.9]) by mx.example.jp with ESMTP; Thu, 19 Nov 2026 03:12:00 +0000';
const ses =
  'Received: from a25-2.smtp-out.eu-west-1.amazonses.com (a25-2.smtp-out.eu-west-1.amazonses.com [54.240.25.2]) by mx.example.jp with ESMTPS; Thu, 19 Nov 2026 03:12:01 +0000';

async function check(raw: Uint8Array) {
  const out = await checkMessage(raw, knowledge);
  if (!out.ok) throw new Error(out.problem.code);
  return out.result;
}

describe('every watched brand is told apart (profiles in data/merchants)', () => {
  it('genuine amazon.de mail is Amazon.de and legitimate, not a look-alike of amazon.com', async () => {
    const r = await check(
      mail(
        [
          'Authentication-Results: mx.example.jp; dkim=pass header.d=amazon.de header.s=s1; spf=pass smtp.mailfrom=x@bounces.amazon.de; dmarc=pass (p=QUARANTINE) header.from=amazon.de',
          ses,
          'From: "Amazon.de" <versandbestaetigung@amazon.de>',
          'Subject: Ihre Bestellung wurde versandt',
        ],
        'Guten Tag, Ihre Bestellung ist unterwegs. Sie können den Status in Ihrem Konto bei Amazon.de verfolgen. Vielen Dank für Ihren Einkauf bei uns.\r\nhttps://www.amazon.de/gp/your-account/order-history',
      ),
    );
    expect(r.brand).toBe('amazon-de');
    expect(r.verdict).toBe('legitimate');
    expect(r.findings.map((f) => f.id)).not.toContain('sender.lookalike-domain');
  });

  it('German Amazon phishing is amazon-de, by its language when the sender does not tell', async () => {
    const r = await check(
      mail(
        [relay, 'From: "Amazon" <service@konto-hilfe.example>', 'Subject: Ihr Konto wurde gesperrt'],
        'Sehr geehrter Kunde, wir haben Ihr Konto gesperrt. Bitte bestätigen Sie Ihre Daten, sonst wird es gelöscht.\r\nhttps://konto-hilfe.example/login',
      ),
    );
    expect(r.brand).toBe('amazon-de');
    expect(r.verdict).toBe('phishing');
  });

  it('楽天カード phishing is phishing, brand rakuten-card', async () => {
    const r = await check(
      mail(
        [
          relay,
          'From: "楽天カード株式会社" <info@rakuten-card-security.top>',
          'Subject: 【重要】カード利用停止のお知らせ',
        ],
        '楽天カードをご利用いただきありがとうございます。\r\nお客様のカードに不正利用の可能性があるため、ご利用を一時停止しております。\r\n24時間以内に下記よりご本人確認をお願いいたします。\r\nhttps://rakuten-card-security.top/login',
      ),
    );
    expect(r.brand).toBe('rakuten-card');
    expect(r.verdict).toBe('phishing');
  });

  it('三井住友カード phishing is phishing, brand smbc-card', async () => {
    const r = await check(
      mail(
        [
          relay,
          'From: "三井住友カード" <no-reply@vpass-notice.cn>',
          'Subject: 【三井住友カード】ご利用確認のお願い',
        ],
        '三井住友カードをご利用いただきありがとうございます。\r\n第三者による不正利用の可能性がございます。\r\n下記URLよりカード情報をご確認ください。\r\nhttps://smbc-card.vpass-notice.cn/',
      ),
    );
    expect(r.brand).toBe('smbc-card');
    expect(r.verdict).toBe('phishing');
  });

  it('a genuine-shaped 楽天カード notice from its own domain is legitimate', async () => {
    const r = await check(
      mail(
        [
          'Authentication-Results: mx.example.jp; dkim=pass header.d=mail.rakuten-card.co.jp header.s=s1; spf=pass smtp.mailfrom=bounce@bounce.rakuten-card.co.jp; dmarc=pass (p=REJECT) header.from=mail.rakuten-card.co.jp',
          'Received: from mta.mail.rakuten-card.co.jp (mta.mail.rakuten-card.co.jp [198.51.100.20]) by mx.example.jp with ESMTPS; Thu, 19 Nov 2026 03:12:00 +0000',
          'From: "楽天カード" <info@mail.rakuten-card.co.jp>',
          'Subject: カード利用のお知らせ(本人ご利用分)',
        ],
        '楽天カードをご利用いただきありがとうございます。\r\n■利用日: 2026/11/18\r\n■利用先: ｻﾝﾌﾟﾙｼｮｯﾌﾟ\r\n■利用者: 本人\r\n■利用金額: 2,310 円\r\nhttps://www.rakuten-card.co.jp/e-navi/',
      ),
    );
    expect(r.brand).toBe('rakuten-card');
    expect(r.verdict).toBe('legitimate');
  });

  it('a ヤマト運輸 SMS-style lure, pasted, is phishing, brand yamato', async () => {
    const r = await check(
      new TextEncoder().encode(
        'ヤマト運輸よりお荷物のお届けにあがりましたが宛先不明のため持ち帰りました。下記よりご確認ください。\nhttp://kuroneko-yamato.duckdns.org/track\n',
      ),
    );
    expect(r.brand).toBe('yamato');
    expect(r.verdict).toBe('phishing');
  });

  it('mail from a subscriber of a carrier is not a claim to be the carrier', async () => {
    const r = await check(
      mail([relay, 'From: "Taro" <taro@docomo.ne.jp>', 'Subject: 週末の予定'], '土曜日は空いていますか?'),
    );
    expect(r.brand).toBeNull();
    expect(r.verdict).toBe('unrelated');
  });
});

describe('official domains are whole registrable domains', () => {
  it('every domain in a profile is its own registrable domain (OWNED_SUBDOMAINS covers amazon.com.be)', async () => {
    const { registrableDomain } = await import('#core/mail/domain.ts');
    const wrong = knowledge.merchants.flatMap((m) =>
      [...m.senderDomains, ...m.linkDomains]
        .filter((d) => registrableDomain(d) !== d)
        .map((d) => `${m.id}: ${d}`),
    );
    expect(wrong).toEqual([]);
  });

  it('a link to www.amazon.com.be is Amazon.com.be, and one on a host that only contains it is not', async () => {
    const own = await check(new TextEncoder().encode('https://www.amazon.com.be/'));
    expect(own.verdict).toBe('legitimate');
    expect(own.brand).toBe('amazon-be');
    const fake = await check(
      new TextEncoder().encode('https://www.amazon.com.be.example-login.top/ap/signin'),
    );
    expect(fake.verdict).toBe('phishing');
  });

  it('au.com is au, the carrier, though au PAY links there too', async () => {
    const r = await check(new TextEncoder().encode('https://www.au.com/'));
    expect(r.verdict).toBe('legitimate');
    expect(r.brand).toBe('au');
  });
});
