/** The shape mailauth asks for: resolve(name, rrtype) → records, rejecting with dns errors that carry a `code`. */
export type DnsResolver = (name: string, rrtype: string) => Promise<unknown>;
