/**
 * Mail providers whose receiving hosts and Authentication-Results ids do not share one registrable domain, or
 * that write their results in a shape RFC 8601 does not foresee. A provider not listed here is still believed
 * when its authserv-id is on the registrable domain of its entry hop's `by` host (the general rule); this table
 * only joins domains that belong to one provider, and names the users' setting (`CheckOptions.provider`).
 *
 * Layouts (real headers read, or inferred where marked), each with a fixture in test/fixtures/mail/build.ts:
 * - gmail: `Received: from … by mx.google.com`, then `Received-SPF`, then `Authentication-Results: mx.google.com`
 *   (below its Received line; above it only `ARC-Authentication-Results: i=1; mx.google.com` when Gmail seals ARC).
 *   Real: ../shared/corpus/amazon-genuine-headers (2021), a Stack Overflow question's Gmail header (2016, no ARC).
 * - outlook: Outlook.com / Microsoft 365 (Exchange Online Protection). `Authentication-Results: spf=pass (sender IP
 *   is …) smtp.mailfrom=…; dkim=pass (signature was verified) header.d=…;dmarc=pass action=none header.from=…;
 *   compauth=pass` with no authserv-id at all, above `Received-SPF` and the entry hop `by *.mail.protection.outlook
 *   .com` (older hotmail.com hops in between), and `X-MS-Exchange-Organization-AuthAs: Anonymous` among the
 *   headers Exchange stamps at the end. Real: an Outlook.com inbound header set (2017, public GitHub test data;
 *   2017 still wrote `hotmail.com;` after each method); the id-less shape from the Microsoft 365 docs.
 * - icloud: entry hop `by *.me.com (Postfix)`, then one results header per method below it:
 *   `bimi.icloud.com`, `arc.icloud.com`, `dmarc.icloud.com`, `dkim-verifier.icloud.com`, `spf.icloud.com`,
 *   between `X-ICL-*` / `X-DMARC-*` lines. Real: an iCloud inbound header set (2024, public GitHub file).
 * - yahoo-japan: `Authentication-Results: mtaNNN.mail.djm.yahoo.co.jp  from=…; domainkeys=…; dkim=pass (ok);
 *   header.i=@…` (the property after its own semicolon) above `Received: from 127.0.0.1 (EHLO …) (ip) by
 *   mtaNNN…` (the Yahoo! Mail platform's shape). Real: the results line from a Japanese DKIM set-up guide; the
 *   Received shape and position from Yahoo! Mail (US) headers of the same platform. INFERRED: their exact order
 *   at Yahoo! JAPAN today, and whether it now adds dmarc=.
 * - docomo, au: INFERRED. No public inbound header of either was found. Entry hops by the carriers' MX hosts
 *   (mfsmax.docomo.ne.jp; lsean.ezweb.ne.jp for au, which also serves au.com) and RFC 8601 results on the same
 *   domain under the Received line, as most Postfix/milter-based receivers write them.
 */
export type ProviderId = 'gmail' | 'outlook' | 'icloud' | 'yahoo-japan' | 'docomo' | 'au';

export interface MailProvider {
  id: ProviderId;
  /** Registrable domains of its receiving hosts and of its authserv-ids. */
  domains: readonly string[];
  /**
   * Writes Authentication-Results without an authserv-id (Exchange Online). Such a header is believed only at
   * this provider's entry hop, and only with `X-MS-Exchange-Organization-AuthAs`, which Exchange stamps on what
   * it accepts and strips from what it receives (its header firewall), so a sender cannot bring it along.
   */
  unnamedResults?: { stampHeader: string };
  /**
   * The provider's own spam verdict, stamped at delivery: a header holding a number, and the value from which the
   * provider filed the mail as junk. Believed only when this provider received the mail (its entry hop) and, for
   * Exchange, only with its stamp: Exchange strips `X-MS-Exchange-Organization-*` from what it receives.
   * Outlook.com / Microsoft 365: the spam confidence level, 5–6 spam, 7–9 high-confidence spam, -1 and 0–1 not
   * spam (Microsoft Learn, "Spam confidence level (SCL) in EOP", learn.microsoft.com/defender-office-365/anti-spam-spam-confidence-level-scl-about).
   */
  spamVerdict?: { header: string; spamAt: number };
}

export const MAIL_PROVIDERS: readonly MailProvider[] = [
  { id: 'gmail', domains: ['google.com', 'gmail.com', 'googlemail.com'] },
  {
    id: 'outlook',
    domains: ['outlook.com', 'hotmail.com', 'office365.com', 'microsoft.com', 'live.com', 'msn.com'],
    unnamedResults: { stampHeader: 'x-ms-exchange-organization-authas' },
    spamVerdict: { header: 'x-ms-exchange-organization-scl', spamAt: 5 },
  },
  { id: 'icloud', domains: ['icloud.com', 'me.com', 'mac.com', 'apple.com'] },
  { id: 'yahoo-japan', domains: ['yahoo.co.jp'] },
  { id: 'docomo', domains: ['docomo.ne.jp'] },
  { id: 'au', domains: ['ezweb.ne.jp', 'au.com'] },
];

export const PROVIDER_IDS: readonly ProviderId[] = MAIL_PROVIDERS.map((p) => p.id);

export function providerById(id: string): MailProvider | null {
  return MAIL_PROVIDERS.find((p) => p.id === id) ?? null;
}

/** The provider a registrable domain belongs to, if it is one of the listed ones. */
export function providerOfDomain(domain: string): MailProvider | null {
  return MAIL_PROVIDERS.find((p) => p.domains.includes(domain)) ?? null;
}
