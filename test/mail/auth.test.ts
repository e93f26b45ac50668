import { describe, expect, it } from 'vitest';
import { assessAuth, parseAuthResults } from '#core/mail/auth.ts';
import type { HeaderField } from '#core/mail/types.ts';

function headers(block: string): HeaderField[] {
  return block
    .trim()
    .split(/\n(?![ \t])/)
    .map((line) => {
      const i = line.indexOf(':');
      return {
        key: line.slice(0, i).toLowerCase(),
        value: line
          .slice(i + 1)
          .replace(/\n[ \t]+/g, ' ')
          .trim(),
      };
    });
}

// The shape of a real Gmail-delivered Amazon.co.jp mail (../shared/corpus/amazon-genuine-headers), shortened.
const GMAIL = `
Delivered-To: someone@gmail.com
Received: by 2002:ac2:5293:0:0:0:0:0 with SMTP id q19csp113602lfm; Wed, 7 Apr 2021 22:29:41 -0700 (PDT)
ARC-Authentication-Results: i=1; mx.google.com;
       dkim=pass header.i=@amazon.co.jp header.s=efcs4 header.b=HqMXmpdl;
       spf=pass (google.com: domain of x@bounces.amazon.co.jp designates 54.240.25.2 as permitted sender) smtp.mailfrom=x@bounces.amazon.co.jp;
       dmarc=pass (p=QUARANTINE sp=QUARANTINE dis=NONE) header.from=amazon.co.jp
Return-Path: <x@bounces.amazon.co.jp>
Received: from a25-2.smtp-out.us-west-2.amazonses.com (a25-2.smtp-out.us-west-2.amazonses.com. [54.240.25.2])
        by mx.google.com with ESMTPS id x; Wed, 07 Apr 2021 22:29:41 -0700 (PDT)
Authentication-Results: mx.google.com;
       dkim=pass header.i=@amazon.co.jp; dmarc=pass (p=QUARANTINE) header.from=amazon.co.jp
From: "Amazon.co.jp" <digital-no-reply@amazon.co.jp>
`;

describe('Authentication-Results: which to believe', () => {
  it('parses methods, results and the domain each is about, ignoring comments', () => {
    const r = parseAuthResults(
      'mx.example.jp; spf=pass (ok (nested)) smtp.mailfrom=a@bounces.amazon.co.jp; dkim=fail header.d=evil.example; dmarc=pass header.from=amazon.co.jp',
      'authentication-results',
      0,
    )!;
    expect(r.authservId).toBe('mx.example.jp');
    expect(r.results).toEqual([
      { method: 'spf', result: 'pass', domain: 'bounces.amazon.co.jp' },
      { method: 'dkim', result: 'fail', domain: 'evil.example' },
      { method: 'dmarc', result: 'pass', domain: 'amazon.co.jp' },
    ]);
  });

  it("trusts the provider's results at the hop where the mail entered (Gmail shape)", () => {
    const a = assessAuth(headers(GMAIL));
    expect(a.trustReason).toBe('entry-hop');
    expect(a.receivedBy).toBe('mx.google.com');
    expect(a.trusted?.authservId).toBe('mx.google.com');
    expect(a.trusted?.header).toBe('arc-authentication-results');
    // Its Authentication-Results under the Received line is the same provider's, not a forgery.
    expect(a.ignored).toEqual([]);
  });

  it('ignores a results header the sender wrote into the mail (below an earlier hop)', () => {
    const forged = headers(`
Received: from vps1.evil.example (unknown [198.51.100.7]) by mx.example.jp with ESMTP; Thu, 19 Nov 2026 03:12:00 +0000
Received: from [10.0.0.5] (unknown [203.0.113.50]) by vps1.evil.example; Thu, 19 Nov 2026 03:11:00 +0000
Authentication-Results: mx.example.jp; dkim=pass header.d=amazon.co.jp; dmarc=pass header.from=amazon.co.jp
From: "Amazon.co.jp" <account-update@amazon.co.jp>
`);
    const a = assessAuth(forged);
    expect(a.trusted).toBeNull();
    expect(a.ignored).toHaveLength(1);
  });

  it('ignores a forged pass further down even when the provider also stamped results', () => {
    const h = headers(`
Authentication-Results: mx.example.jp; spf=fail smtp.mailfrom=amazon.co.jp; dmarc=fail header.from=amazon.co.jp
Received: from vps1.evil.example (unknown [198.51.100.7]) by mx.example.jp; Thu, 19 Nov 2026 03:12:00 +0000
Authentication-Results: mx.example.jp; dmarc=pass header.from=amazon.co.jp
Received: from inner.evil.example by vps1.evil.example; Thu, 19 Nov 2026 03:11:00 +0000
`);
    const a = assessAuth(h);
    expect(a.trusted?.results.find((r) => r.method === 'dmarc')?.result).toBe('fail');
    expect(a.ignored).toHaveLength(1);
  });

  it('trusts a configured authserv-id wherever it stands, except below an earlier hop', () => {
    // The shape of the corpus's Japanese-ISP header: results appended at the end, on a domain its MX does not use.
    const h = headers(`
Return-Path: <x@bounces.amazon.co.jp>
Received: from e242-10.smtp-out.us-west-1.amazonses.com([23.251.242.10]) by ifmta666-pr.im.network.ne.jp with ESMTP; Fri, 6 Dec 2024 10:51:07 +0900
From: "Amazon.co.jp" <store-news@amazon.co.jp>
Authentication-Results: mx.provider.ne.jp; spf=pass smtp.mailfrom=x@bounces.amazon.co.jp
`);
    expect(assessAuth(h).trusted).toBeNull();
    expect(assessAuth(h, { configuredIds: ['provider.ne.jp'] }).trustReason).toBe('configured');
    const below = headers(`
Received: from vps1.evil.example (unknown [198.51.100.7]) by ifmta666-pr.im.network.ne.jp with ESMTP; Fri, 6 Dec 2024 10:51:07 +0900
Received: from [10.0.0.5] by vps1.evil.example; Fri, 6 Dec 2024 10:51:00 +0900
Authentication-Results: mx.provider.ne.jp; dmarc=pass header.from=amazon.co.jp
`);
    expect(assessAuth(below, { configuredIds: ['provider.ne.jp'] }).trusted).toBeNull();
  });

  it("ignores results at the entry hop under another provider's authserv-id", () => {
    const h = headers(`
Received: from vps1.evil.example (unknown [198.51.100.7]) by mx.example.jp with ESMTP; Thu, 19 Nov 2026 03:12:00 +0000
Authentication-Results: mx.google.com; dkim=pass header.d=amazon.co.jp; dmarc=pass header.from=amazon.co.jp
`);
    const a = assessAuth(h);
    expect(a.receivedBy).toBe('mx.example.jp');
    expect(a.trusted).toBeNull();
    expect(a.ignored.map((r) => r.authservId)).toEqual(['mx.google.com']);
  });

  it("a hop below the entry hop into the provider itself is the sender's: results between are not believed", () => {
    const h = headers(`
Received: from evil.example (unknown [198.51.100.7]) by mx.example.jp; Thu, 19 Nov 2026 03:12:01 +0000
Authentication-Results: mx.example.jp; dmarc=pass header.from=amazon.co.jp
Received: from x.example (unknown [198.51.100.8]) by mx.example.jp with ESMTP; Thu, 19 Nov 2026 03:12:00 +0000
`);
    expect(assessAuth(h).trusted).toBeNull();
  });

  it("the provider's own verdict outvotes a sender's copy that stands right after it", () => {
    const h = headers(`
Received: from vps1.evil.example (unknown [198.51.100.7]) by mx.google.com with ESMTPS; Thu, 19 Nov 2026 03:12:00 +0000
Authentication-Results: mx.google.com; spf=pass smtp.mailfrom=evil.example; dmarc=fail header.from=amazon.co.jp
Authentication-Results: mx.google.com; dkim=pass header.d=amazon.co.jp; dmarc=pass header.from=amazon.co.jp
From: "Amazon.co.jp" <account-update@amazon.co.jp>
`);
    const dmarc = assessAuth(h).trusted?.results.filter((r) => r.method === 'dmarc');
    expect(dmarc?.map((r) => r.result)).toEqual(['fail']);
  });

  it('reads unnamed Exchange results and Yahoo! JAPAN properties after their own semicolon', () => {
    const ms = parseAuthResults(
      'spf=pass (sender IP is 54.240.27.18) smtp.mailfrom=bounces.amazon.co.jp; dkim=pass (signature was verified) header.d=amazon.co.jp;dmarc=pass action=none header.from=amazon.co.jp;compauth=pass reason=100',
      'authentication-results',
      0,
    )!;
    expect(ms.authservId).toBe('');
    expect(ms.results.map((r) => `${r.method}=${r.result}:${r.domain}`)).toEqual([
      'spf=pass:bounces.amazon.co.jp',
      'dkim=pass:amazon.co.jp',
      'dmarc=pass:amazon.co.jp',
      'other=pass:null',
    ]);
    const old = parseAuthResults(
      'spf=pass (sender IP is 167.89.101.198) smtp.mailfrom=sgmail.github.com; hotmail.com; dkim=pass (signature was verified) header.d=github.com;hotmail.com; dmarc=pass action=none header.from=github.com;',
      'authentication-results',
      0,
    )!;
    expect(old.authservId).toBe('hotmail.com');
    const yj = parseAuthResults(
      'mta706.mail.djm.yahoo.co.jp  from=amazon.co.jp; domainkeys=neutral (no sig);  from=amazon.co.jp; dkim=pass (ok); header.i=@amazon.co.jp',
      'authentication-results',
      0,
    )!;
    expect(yj.authservId).toBe('mta706.mail.djm.yahoo.co.jp');
    expect(yj.results.find((r) => r.method === 'dkim')).toEqual({
      method: 'dkim',
      result: 'pass',
      domain: 'amazon.co.jp',
    });
  });

  it('unnamed results count only at an Exchange entry hop with its AuthAs stamp', () => {
    const block = `
Received: from TYAPR01CA0042.jpnprd01.prod.outlook.com (2603:1096:404:28::30) by TYCPR01MB8123.jpnprd01.prod.outlook.com with HTTPS; Thu, 19 Nov 2026 03:12:03 +0000
Authentication-Results: spf=pass (sender IP is 54.240.27.18) smtp.mailfrom=bounces.amazon.co.jp; dmarc=pass action=none header.from=amazon.co.jp
Received: from a27-18.smtp-out.us-west-2.amazonses.com (54.240.27.18) by OS1PEPF00001234.mail.protection.outlook.com (10.167.240.11) with Microsoft SMTP Server; Thu, 19 Nov 2026 03:12:02 +0000
From: "Amazon.co.jp" <shipment-tracking@amazon.co.jp>`;
    expect(assessAuth(headers(block)).trusted).toBeNull();
    const stamped = assessAuth(headers(block + '\nX-MS-Exchange-Organization-AuthAs: Anonymous'));
    expect(stamped.trustReason).toBe('entry-hop');
    expect(stamped.trusted?.authservId).toBe('os1pepf00001234.mail.protection.outlook.com');
    const elsewhere = block.replace(/outlook\.com/g, 'example.jp');
    expect(
      assessAuth(headers(elsewhere + '\nX-MS-Exchange-Organization-AuthAs: Anonymous')).trusted,
    ).toBeNull();
  });

  it("the user's provider setting joins its domains to the receiver's", () => {
    const h = headers(`
Received: from a27-18.smtp-out.us-west-2.amazonses.com (a27-18.smtp-out.us-west-2.amazonses.com [54.240.27.18]) by lsean.ezweb.ne.jp (Postfix); Thu, 19 Nov 2026 12:12:02 +0900
Authentication-Results: mx.au.com; dmarc=pass header.from=amazon.co.jp
`);
    expect(assessAuth(h).trusted?.authservId).toBe('mx.au.com');
    const relayed = headers(
      h
        .map((x) => `${x.key}: ${x.value}`)
        .join('\n')
        .replace('lsean.ezweb.ne.jp', 'relay.kddi-mx.example'),
    );
    expect(assessAuth(relayed).trusted).toBeNull();
    expect(assessAuth(relayed, { provider: 'au' }).trusted?.authservId).toBe('mx.au.com');
  });

  it('with no Received line at all, nothing is trusted', () => {
    expect(
      assessAuth(
        headers(
          'Authentication-Results: mx.example.jp; dmarc=pass header.from=amazon.co.jp\nFrom: a@amazon.co.jp',
        ),
      ).trusted,
    ).toBeNull();
  });
});
