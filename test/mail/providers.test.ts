import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { checkMessage, type CheckOptions } from '#core/check/index.ts';
import { repoRoot } from '../helpers/cli.ts';

// One genuine Amazon mail per receiving provider's real header layout, and a forged copy sent through the same
// provider (test/fixtures/mail/build.ts, providerMail; where each layout comes from: src/core/mail/providers.ts).
const knowledge = loadKnowledge();
const fixture = (kind: 'genuine' | 'phish', name: string) =>
  readFileSync(join(repoRoot, 'test/fixtures/mail', kind, name));

async function check(bytes: Uint8Array, options?: CheckOptions) {
  const out = await checkMessage(bytes, knowledge, options);
  if (!out.ok) throw new Error(out.problem.code);
  return {
    verdict: out.result.verdict,
    ids: out.result.findings.map((f) => f.id),
    findings: out.result.findings,
  };
}

const layouts: { provider: string; authserv: string; method: string; forgedBy: string[] }[] = [
  { provider: 'gmail', authserv: 'mx.google.com', method: 'dmarc', forgedBy: ['auth.spoofed-official'] },
  {
    provider: 'outlook',
    authserv: 'os1pepf00001234.mail.protection.outlook.com',
    method: 'dmarc',
    forgedBy: ['auth.spoofed-official'],
  },
  { provider: 'icloud', authserv: 'dmarc.icloud.com', method: 'dmarc', forgedBy: ['auth.spoofed-official'] },
  // Yahoo! JAPAN's results carry no DMARC verdict: the forgery shows as unverified, not as a DMARC failure.
  {
    provider: 'yahoo-japan',
    authserv: 'mta706.mail.djm.yahoo.co.jp',
    method: 'dkim',
    forgedBy: ['auth.unverified-claim'],
  },
  {
    provider: 'docomo',
    authserv: 'mfsmax.docomo.ne.jp',
    method: 'dmarc',
    forgedBy: ['auth.spoofed-official'],
  },
  { provider: 'au', authserv: 'mx.au.com', method: 'dmarc', forgedBy: ['auth.spoofed-official'] },
];

describe("the receiving provider's own results, where each provider writes them", () => {
  for (const l of layouts) {
    it(`${l.provider}: a genuine Amazon mail is legitimate, proved by the provider's results`, async () => {
      const r = await check(fixture('genuine', `provider-${l.provider}.eml`));
      expect(r.verdict, JSON.stringify(r.findings)).toBe('legitimate');
      expect(r.ids).toContain('auth.aligned-pass');
      expect(r.ids).not.toContain('auth.forged-results');
      expect(r.ids).not.toContain('auth.unverified-claim');
      expect(r.findings.find((f) => f.id === 'auth.aligned-pass')?.params).toMatchObject({
        authserv: l.authserv,
        method: l.method,
        domain: 'amazon.co.jp',
      });
    });

    it(`${l.provider}: a forged copy with a "pass" the sender wrote is phishing`, async () => {
      const r = await check(fixture('phish', `provider-${l.provider}-forged.eml`));
      expect(r.verdict).toBe('phishing');
      expect(r.ids).not.toContain('auth.aligned-pass');
      expect(r.ids).toContain('auth.forged-results');
      for (const id of l.forgedBy) expect(r.ids).toContain(id);
    });
  }

  it("a genuine Gmail payment-update mail is not called forged for Gmail's results under its Received line", async () => {
    const r = await check(fixture('genuine', 'provider-gmail.eml'));
    expect(r.verdict).toBe('legitimate');
    // It asks to update a payment method: the text rules fire, authentication decides.
    expect(r.ids).toEqual(expect.arrayContaining(['text.payment-lure', 'auth.aligned-pass']));
  });

  it('the provider setting plumbs through CheckOptions', async () => {
    // The au layout relayed by a host whose domain is not au's: only the user's setting makes it the receiver's.
    const raw = fixture('genuine', 'provider-au.eml')
      .toString('latin1')
      .replace('lsean.ezweb.ne.jp', 'in.kddi-relay.example');
    const bytes = Buffer.from(raw, 'latin1');
    expect((await check(bytes)).verdict).toBe('suspicious');
    const r = await check(bytes, { provider: 'au' });
    expect(r.verdict).toBe('legitimate');
    expect(r.ids).toContain('auth.aligned-pass');
  });
});

// A Japanese ISP (the shape of ../shared/corpus/amazon-genuine-headers, 2024): one Received by its MX host on one
// of its domains with its queue id on another (`id <…@imta666.isp-mail.example.jp>`), and its results appended at
// the end of the header block under that id's domain.
describe('an ISP whose MX host and results id stand on two of its domains', () => {
  const isp = (opts: { idHost: string; senderHop?: boolean; authserv?: string }) =>
    new TextEncoder().encode(
      [
        'Return-Path: <2024120601510611-C5CGKT47C4OV7@bounces.amazon.co.jp>',
        `Received: from e242-10.smtp-out.us-west-1.amazonses.com([23.251.242.10])\r\n    by ifmta666-pr.im.isp-net.example.jp with ESMTP\r\n    id <20241206015107391.RGLW.126181@${opts.idHost}>\r\n    for <taro@isp-mail.example.jp>; Fri, 6 Dec 2024 10:51:07 +0900`,
        ...(opts.senderHop
          ? [
              'Received: from kit.bulk-sender.example (unknown [203.0.113.9]) by relay.bulk-sender.example with ESMTP; Fri, 6 Dec 2024 01:51:00 +0000',
            ]
          : []),
        'Date: Fri, 6 Dec 2024 01:51:06 +0000',
        'From: "Amazon.co.jp" <store-news@amazon.co.jp>',
        'To: taro@isp-mail.example.jp',
        'Subject: Amazonを装った不審なメール等にご注意ください',
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: 8bit',
        `Authentication-Results: ${opts.authserv ?? 'mx.isp-mail.example.jp'}; spf=pass\r\n    smtp.mailfrom=2024120601510611-C5CGKT47C4OV7@bounces.amazon.co.jp;\r\n    sender-id=pass header.From=store-news@amazon.co.jp`,
        '',
        'Amazon.co.jpをご利用いただきありがとうございます。',
        '',
      ].join('\r\n'),
    );

  it('genuine: results under the domain of the entry hop’s own queue id are believed (legitimate)', async () => {
    const r = await check(isp({ idHost: 'imta666.isp-mail.example.jp' }));
    expect(r.verdict).toBe('legitimate');
    expect(r.ids).toContain('auth.aligned-pass');
  });

  it('forged: the same pass below an earlier hop (written before the ISP) is not believed', async () => {
    const r = await check(isp({ idHost: 'imta666.isp-mail.example.jp', senderHop: true }));
    expect(r.verdict).not.toBe('legitimate');
    expect(r.ids).not.toContain('auth.aligned-pass');
  });

  it('forged: results under a domain neither the MX host nor its queue id is on are not believed', async () => {
    const r = await check(isp({ idHost: 'imta666.isp-mail.example.jp', authserv: 'mx.trust-me.example' }));
    expect(r.verdict).not.toBe('legitimate');
    expect(r.ids).toContain('auth.unverified-claim');
  });
});
