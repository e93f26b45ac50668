import { binaryString } from '#core/bytes.ts';
import { decodeBytes, detectCharset } from './decode.ts';

/** An investigator's appendix needs the whole header block, but a hostile mail can make it huge. */
const MAX_HEADER_CHARS = 32 * 1024;

/**
 * The header block of a raw message as received (8-bit bytes decoded in the charset they are in), capped; `null`
 * for pasted text without headers.
 */
export function headerBlock(raw: Uint8Array): string | null {
  const s = binaryString(raw.subarray(0, Math.min(raw.length, 256 * 1024)));
  const a = s.indexOf('\r\n\r\n');
  const b = s.indexOf('\n\n');
  const end = a < 0 ? b : b < 0 ? a : Math.min(a, b);
  if (end <= 0) return null;
  const bytes = raw.subarray(0, end);
  const text = decodeBytes(bytes, detectCharset(bytes) ?? 'utf-8').replace(/\r\n/g, '\n');
  if (!/^[!-9;-~]+:/.test(text)) return null;
  return text.length > MAX_HEADER_CHARS ? `${text.slice(0, MAX_HEADER_CHARS)}\n…` : text;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const RFC5322_DATE =
  /(\d{1,2})\s+([A-Z][a-z]{2})\s+(\d{4})\s+(\d{1,2}):(\d{2})(?::\d{2})?\s*([+-]\d{4}|GMT|UT|UTC|Z)?/;

/** An RFC 5322 date as people read it, in the zone the mail gave: `2026-11-19 22:14 (+0900)`. */
export function plainMailDate(value: string): string | null {
  const m = RFC5322_DATE.exec(value);
  if (!m) return null;
  const month = MONTHS.indexOf(m[2]!) + 1;
  if (!month) return null;
  const zone = m[6] && /^[+-]/.test(m[6]) ? m[6] : '+0000';
  return `${m[3]}-${String(month).padStart(2, '0')}-${m[1]!.padStart(2, '0')} ${m[4]!.padStart(2, '0')}:${m[5]} (${zone})`;
}

/**
 * When the mail arrived: the date on the topmost Received line (written by the receiving provider), else the
 * Date header the sender wrote.
 */
export function receivedTime(headers: string): string | null {
  const unfolded = headers.replace(/\n[ \t]+/g, ' ');
  const received = /^received:(.*)$/im.exec(unfolded)?.[1];
  const fromReceived = received?.includes(';')
    ? plainMailDate(received.slice(received.lastIndexOf(';') + 1))
    : null;
  if (fromReceived) return fromReceived;
  const date = /^date:(.*)$/im.exec(unfolded)?.[1];
  return date ? plainMailDate(date) : null;
}
