import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { checkMessage } from '#core/check/index.ts';
import { reportRoutesFor } from '#core/plan/report-routes.ts';
import { renderCheck } from '#interfaces/cli/render-check.ts';
import { translator } from '#interfaces/i18n.ts';

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

async function check(raw: Uint8Array) {
  const out = await checkMessage(raw, knowledge);
  if (!out.ok) throw new Error(out.problem.code);
  return out.result;
}

const ids = (r: { findings: { id: string }[] }) => r.findings.map((f) => f.id);

describe('"claims brand X, is not from X" for every profiled brand', () => {
  it('a Netflix payment lure from a foreign domain is phishing, brand netflix, and the sentences name Netflix', async () => {
    const r = await check(
      mail(
        [
          relay,
          'From: "Netflix" <billing@stream-renew.example>',
          'Subject: Please update your payment details',
        ],
        'Your Netflix membership is on hold. Update your payment details within 24 hours or your account will be suspended.\r\nhttps://stream-renew.example/netflix/login',
      ),
    );
    expect(r.brand).toBe('netflix');
    expect(r.verdict).toBe('phishing');
    expect(ids(r)).toEqual(expect.arrayContaining(['sender.brand-name-foreign-domain', 'link.off-brand']));
    const f = r.findings.find((x) => x.id === 'link.off-brand')!;
    expect(f.params.brand).toBe('Netflix');
  });

  it('a brand claimed only by Reply-To / Sender counts (PayPal)', async () => {
    const r = await check(
      mail(
        [
          relay,
          'From: "Service" <notice@acct-review.example>',
          'Sender: "PayPal Service" <notice@acct-review.example>',
          'Subject: Account limited',
        ],
        'We limited your account. Confirm your details: https://acct-review.example/signin',
      ),
    );
    expect(r.brand).toBe('paypal');
    expect(r.verdict).not.toBe('unrelated');
  });

  it('a sender name in spaced letters claims the brand (D P D)', async () => {
    const r = await check(
      mail(
        [relay, 'From: "D P D  Versand" <news@parcel-info.example>', 'Subject: Zustellung Ihres Pakets'],
        'Ihr Paket konnte nicht zugestellt werden. https://parcel-info.example/track',
      ),
    );
    expect(r.brand).toBe('dpd');
    expect(ids(r)).toContain('sender.brand-name-foreign-domain');
  });

  it('"ledger" as an ordinary word in an unrelated mail claims nothing', async () => {
    const r = await check(
      mail(
        [relay, 'From: "Accounts team" <books@small-firm.example>', 'Subject: Month-end close'],
        'Please post the invoices to the general ledger before Friday. The ledger balances, and the ledger export is attached to the shared drive.',
      ),
    );
    expect(r.brand).toBeNull();
    expect(r.verdict).toBe('unrelated');
  });

  it('genuine DHL mail from dhl.de with an aligned pass is legitimate, brand dhl', async () => {
    const r = await check(
      mail(
        [
          'Authentication-Results: mx.example.jp; dkim=pass header.d=dhl.de header.s=s1; spf=pass smtp.mailfrom=noreply@dhl.de; dmarc=pass header.from=dhl.de',
          'Received: from mout.dhl.de (mout.dhl.de [198.51.100.7]) by mx.example.jp with ESMTPS; Thu, 19 Nov 2026 03:12:01 +0000',
          'From: "DHL Paket" <noreply@dhl.de>',
          'Subject: Ihre Sendung kommt heute',
        ],
        'Ihre DHL Sendung wird heute zugestellt. Sendungsverfolgung: https://www.dhl.de/de/privatkunden/dhl-sendungsverfolgung.html',
      ),
    );
    expect(r.brand).toBe('dhl');
    expect(r.verdict).toBe('legitimate');
  });
});

describe('report routes fit the brand (src/core/plan/report-routes.ts)', () => {
  const profile = (id: string) => knowledge.merchants.find((m) => m.id === id)!;

  it('a card brand: the card company, its own route (uncertainty kept), then the council', () => {
    const routes = reportRoutesFor(profile('rakuten-card'), 'jp');
    expect(routes.map((r) => r.kind)).toEqual(['card-company', 'brand', 'council']);
    const own = routes.find((r) => r.kind === 'brand');
    expect(own && own.kind === 'brand' && own.uncertain).toBe(true);
  });

  it('a global brand: its own confirmed address, then the council; no card company', () => {
    const routes = reportRoutesFor(profile('netflix'), 'jp');
    expect(routes).toEqual([
      expect.objectContaining({ kind: 'brand', email: 'phishing@netflix.com', uncertain: false }),
      { kind: 'council', region: 'jp' },
    ]);
  });

  it("Amazon's storefronts keep the playbook's Amazon route; no brand at all gives the council only", () => {
    expect(reportRoutesFor(profile('amazon-jp'), 'jp').map((r) => r.kind)).toEqual(['amazon', 'council']);
    expect(reportRoutesFor(null, 'jp')).toEqual([{ kind: 'council', region: 'jp' }]);
  });
});

describe('no profiled brand, but a credential or payment lure with a link elsewhere', () => {
  it('is flagged (credential-request / payment lure, not a brand finding)', async () => {
    const r = await check(
      mail(
        [relay, 'From: "Account Security" <alert@secure-notice.example>', 'Subject: Verify your account'],
        'Your account will be suspended. Please confirm your password and card number within 24 hours: https://login-verify.example.top/secure',
      ),
    );
    expect(r.brand).toBeNull();
    expect(['suspicious', 'phishing']).toContain(r.verdict);
    expect(ids(r)).toContain('text.credential-request');
  });

  it('must not: an ordinary newsletter with links to its own and other sites is unrelated', async () => {
    const r = await check(
      mail(
        [relay, 'From: "Garden Club" <news@garden-club.example>', 'Subject: Spring meeting and seed swap'],
        'Hello members, our spring meeting is on 4 April at the library. Photos from last year: https://photos.example.net/garden. Seed list: https://garden-club.example/seeds',
      ),
    );
    expect(r.verdict).toBe('unrelated');
  });
});

describe("the verdict as printed names the brand's own routes, not Amazon's", () => {
  it('Netflix phishing: phishing@netflix.com and the council (jp), or the APWG (us); never an Amazon address', async () => {
    const r = await check(
      mail(
        [
          relay,
          'From: "Netflix" <billing@stream-renew.example>',
          'Subject: Please update your payment details',
        ],
        'Your Netflix membership is on hold. Update your payment details within 24 hours: https://stream-renew.example/netflix/login',
      ),
    );
    for (const [lang, region, route] of [
      ['ja', 'jp', 'info@antiphishing.jp'],
      ['en', 'us', 'reportphishing@apwg.org'],
    ] as const) {
      const text = renderCheck('x.eml', r, translator(knowledge, lang), knowledge, region);
      expect(text).toContain('phishing@netflix.com');
      expect(text).toContain(route);
      expect(text).not.toMatch(/reportascam@amazon\.com|stop-spoofing@amazon\.com/);
    }
  });
});
