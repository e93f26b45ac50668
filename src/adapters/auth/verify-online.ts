import type { DnsResolver } from './dns.ts';

/** The authserv-id mamori stamps its own live results with; the check trusts it because mamori wrote it. */
export const ONLINE_AUTHSERV_ID = 'mamori.verify.local';

const encoder = new TextEncoder();

/**
 * Verifies DKIM, SPF and DMARC now, over DNS, and returns the message with the fresh results as its topmost
 * Authentication-Results header. The sending IP and HELO are read from the entry Received line. Any DNS failure
 * becomes a temperror result inside the header; the mail itself is never sent anywhere.
 */
export async function verifyOnline(raw: Uint8Array, resolver: DnsResolver): Promise<Uint8Array> {
  // mailauth (and its DNS and crypto stack) is loaded only for --verify-online.
  const { authenticate } = await import('mailauth');
  const result = await authenticate(Buffer.from(raw), {
    trustReceived: true,
    mta: ONLINE_AUTHSERV_ID,
    resolver: resolver as never,
    disableArc: true,
    disableBimi: true,
  });
  const head = encoder.encode(result.headers);
  const out = new Uint8Array(head.length + raw.length);
  out.set(head);
  out.set(raw, head.length);
  return out;
}
