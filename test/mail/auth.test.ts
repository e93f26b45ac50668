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

  it("trusts the provider's results above the hop where the mail entered (Gmail shape)", () => {
    const a = assessAuth(headers(GMAIL));
    expect(a.trustReason).toBe('above-entry');
    expect(a.trusted?.authservId).toBe('mx.google.com');
    expect(a.trusted?.header).toBe('arc-authentication-results');
  });

  it('ignores a results header the sender wrote into the mail (below the entry hop)', () => {
    const forged = headers(`
Received: from vps1.evil.example (unknown [198.51.100.7]) by mx.example.jp with ESMTP; Thu, 19 Nov 2026 03:12:00 +0000
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

  it('trusts a configured authserv-id wherever it stands (providers that stamp below their Received line)', () => {
    const h = headers(`
Return-Path: <x@bounces.amazon.co.jp>
Received: from e242-10.smtp-out.us-west-1.amazonses.com([23.251.242.10]) by ifmta666-pr.im.provider.ne.jp with ESMTP; Fri, 6 Dec 2024 10:51:07 +0900
From: "Amazon.co.jp" <store-news@amazon.co.jp>
Authentication-Results: mx.provider.ne.jp; spf=pass smtp.mailfrom=x@bounces.amazon.co.jp
`);
    expect(assessAuth(h).trusted).toBeNull();
    expect(assessAuth(h, ['provider.ne.jp']).trustReason).toBe('configured');
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
