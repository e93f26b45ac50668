import { promises as dns } from 'node:dns';

/** The shape mailauth asks for: resolve(name, rrtype) → records, throwing dns errors with a `code`. */
export type DnsResolver = (name: string, rrtype: string) => Promise<unknown>;

/** The machine's resolver. Only `check --verify-online` ever uses it; tests inject their own. */
export function systemResolver(): DnsResolver {
  return (name, rrtype) => dns.resolve(name, rrtype as 'TXT');
}
