import { promises as dns } from 'node:dns';
import type { DnsResolver } from '#core/ports/dns.ts';

export type { DnsResolver } from '#core/ports/dns.ts';

/** The machine's resolver. Only `check --verify-online` ever uses it; tests inject their own. */
export function systemResolver(): DnsResolver {
  return (name, rrtype) => dns.resolve(name, rrtype as 'TXT');
}
