import { getDomain, parse } from 'tldts';

/**
 * Brand domains that sit under a registrable domain someone else owns: `com.be` is an ordinary registrable domain
 * (not a public suffix), and Amazon's Belgian storefront is `amazon.com.be` under it. A host under one of these
 * belongs to that domain, not to `com.be`. `test/rules/brands.test.ts` checks that every domain in a merchant
 * profile is its own registrable domain by `registrableDomain`, so a new one of this kind must be added here.
 */
export const OWNED_SUBDOMAINS: readonly string[] = ['amazon.com.be'];

const options = { allowPrivateDomains: false, validHosts: [...OWNED_SUBDOMAINS] };

/** The registrable domain of a host ("mail.amazon.co.jp" → "amazon.co.jp"), or null (an IP, a bare suffix). */
export function registrableDomain(host: string): string | null {
  return getDomain(host, options) ?? null;
}

/** tldts' parse with the same options (the IP test and the domain in one call). */
export function parseHostname(host: string): { isIp: boolean; domain: string | null } {
  const p = parse(host, options);
  return { isIp: p.isIp === true, domain: p.domain ?? null };
}
