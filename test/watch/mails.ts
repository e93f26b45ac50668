import { readFileSync } from 'node:fs';
import { repoRoot } from '../helpers/cli.ts';

const fixture = (p: string) => readFileSync(`${repoRoot}/test/fixtures/mail/${p}`);

export const phishingMail = () => fixture('phish/jp-account-suspended-lookalike.eml');
export const orderMail = () => fixture('genuine/jp-order-confirmation.eml');

/**
 * The genuine order mail for another order, sent at another time (a mail that arrives while the watcher runs):
 * the order number in the subject and body, the Date header and the Message-ID changed; the provider's
 * Authentication-Results are kept (the check trusts them, it does not verify DKIM itself).
 */
export function newOrderMail(opts: { orderId: string; date: string; total?: number }): Buffer {
  const old = '249-1234567-7654321';
  let raw = orderMail().toString('latin1');
  const subject = /Subject: =\?ISO-2022-JP\?B\?([^?]+)\?=/.exec(raw)![1]!;
  const decoded = Buffer.from(subject, 'base64').toString('latin1').replace(old, opts.orderId);
  raw = raw
    .replace(subject, Buffer.from(decoded, 'latin1').toString('base64'))
    .replaceAll(old, opts.orderId)
    .replace(/^Date: .*$/m, `Date: ${new Date(opts.date).toUTCString().replace('GMT', '+0000')}`)
    .replace(/^Message-ID: <[^@]+/m, `Message-ID: <${opts.orderId}`);
  if (opts.total !== undefined) raw = raw.replace(' 1,290', ` ${opts.total.toLocaleString('en-US')}`);
  return Buffer.from(raw, 'latin1');
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n');

/**
 * A JCB usage notice in the layout card-notices.md §3 marks CONFIRMED, received by the user's provider
 * (mx.example.jp) which wrote the Authentication-Results. `forged` makes DKIM/DMARC fail.
 */
export function jcbNotice(opts: {
  amount: number;
  merchant: string;
  date?: string;
  forged?: boolean;
  id?: string;
  /** JCB's 取消 mail (card-notices.md §3, S6) instead of a purchase. */
  cancel?: boolean;
}) {
  const result = opts.forged ? 'fail' : 'pass';
  const date = opts.date ?? '2026/11/19 19:47';
  const body = opts.cancel
    ? 'ヤマダ　タロウ 様\r\nJCBカードでのショッピングの取消がありましたので、ご連絡します。\r\n' +
      `【日時（日本時間）】\u3000${date}\r\n【金額】- ${opts.amount.toLocaleString('en-US')}円（取消）\r\n` +
      `【ご利用先】\u3000${opts.merchant}\r\n`
    : 'ヤマダ　タロウ 様\r\nカード名称　：　【ＯＳ】ＪＣＢカードＷ　ＮＬ\r\n' +
      'いつもJCBカードをご利用いただきありがとうございます。\r\nJCBカードのご利用がありましたのでご連絡します。\r\n' +
      `【ご利用日時(日本時間)】\u3000${date}\r\n【ご利用金額】\u3000${opts.amount.toLocaleString('en-US')}円\r\n` +
      `【ご利用先】\u3000${opts.merchant}\r\n\r\nhttps://my.jcb.co.jp/\r\n`;
  return Buffer.from(
    `Authentication-Results: mx.example.jp;\r\n dkim=${result} header.i=@qa.jcb.co.jp header.s=s1 header.b=abc;\r\n` +
      ` spf=${result} smtp.mailfrom=bounce@qa.jcb.co.jp;\r\n dmarc=${result} header.from=qa.jcb.co.jp\r\n` +
      `Received: from mta.qa.jcb.co.jp (mta.qa.jcb.co.jp [202.0.0.10])\r\n        by mx.example.jp with ESMTPS id y2\r\n` +
      `        for <yamada.taro@example.jp>; Thu, 19 Nov 2026 10:48:01 +0000\r\n` +
      `From: JCB <mail@qa.jcb.co.jp>\r\nTo: yamada.taro@example.jp\r\n` +
      `Subject: =?UTF-8?B?${Buffer.from('JCBカード／ショッピングご利用のお知らせ').toString('base64')}?=\r\n` +
      `Date: Thu, 19 Nov 2026 10:48:00 +0000\r\nMessage-ID: <${opts.id ?? `${opts.amount}-${opts.merchant.length}`}@qa.jcb.co.jp>\r\n` +
      `MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64(body)}\r\n`,
  );
}
