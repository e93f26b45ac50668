import { generateKeyPairSync } from 'node:crypto';
import { dkimSign } from 'mailauth';
import { describe, expect, it } from 'vitest';
import type { DnsResolver } from '#adapters/auth/dns.ts';
import { ONLINE_AUTHSERV_ID, verifyOnline } from '#adapters/auth/verify-online.ts';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { checkMessage } from '#core/check/index.ts';

const knowledge = loadKnowledge();
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pub = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

/** DNS as Amazon publishes it, answered from memory: the test never reaches the network (see the tripwire). */
const records: Record<string, string[][]> = {
  's1._domainkey.amazon.co.jp': [[`v=DKIM1; k=rsa; p=${pub}`]],
  '_dmarc.amazon.co.jp': [['v=DMARC1; p=quarantine']],
  'bounces.amazon.co.jp': [['v=spf1 ip4:54.240.25.0/24 -all']],
};
const resolver: DnsResolver = async (name, rrtype) => {
  if (rrtype === 'TXT' && records[name]) return records[name];
  const err = new Error(`no ${rrtype} for ${name}`) as Error & { code: string };
  err.code = 'ENOTFOUND';
  throw err;
};

const message = (ip: string) =>
  [
    `Received: from a25-2.smtp-out.us-west-2.amazonses.com (a25-2.smtp-out.us-west-2.amazonses.com [${ip}]) by mx.example.jp with ESMTPS; Thu, 19 Nov 2026 03:12:01 +0000`,
    'Return-Path: <x@bounces.amazon.co.jp>',
    'From: "Amazon.co.jp" <auto-confirm@amazon.co.jp>',
    'To: yamada.taro@example.jp',
    'Subject: Amazon.co.jp order',
    'Date: Thu, 19 Nov 2026 03:12:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Your order: https://www.amazon.co.jp/gp/css/order-history',
    '',
  ].join('\r\n');

async function signed(ip: string): Promise<Buffer> {
  const msg = message(ip);
  // mailauth 4's runtime takes signatureData[] (its bundled typings describe a later API).
  const options = {
    canonicalization: 'relaxed/relaxed',
    signatureData: [
      {
        signingDomain: 'amazon.co.jp',
        selector: 's1',
        privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }),
      },
    ],
  };
  const sig = await dkimSign(msg, options as never);
  return Buffer.from(sig.signatures + msg);
}

describe('--verify-online (DKIM/SPF/DMARC live, with an injected resolver)', () => {
  it('a correctly signed mail from Amazon passes and is legitimate', async () => {
    const raw = await verifyOnline(await signed('54.240.25.2'), resolver);
    const out = await checkMessage(raw, knowledge, { authservIds: [ONLINE_AUTHSERV_ID] });
    expect(out.ok && out.result.verdict).toBe('legitimate');
    expect(out.ok && out.result.findings.map((f) => f.id)).toContain('auth.aligned-pass');
  });

  it('a tampered body breaks DKIM; sent from elsewhere, SPF fails: spoofing', async () => {
    const good = (await signed('203.0.113.66')).toString().replace('order-history', 'order-history-evil');
    const raw = await verifyOnline(Buffer.from(good), resolver);
    const out = await checkMessage(raw, knowledge, { authservIds: [ONLINE_AUTHSERV_ID] });
    expect(out.ok && out.result.verdict).toBe('phishing');
    expect(out.ok && out.result.findings.map((f) => f.id)).toContain('auth.spoofed-official');
  });
});
