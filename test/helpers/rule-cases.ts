import Encoding from 'encoding-japanese';
import type { RuleCase } from '#core/knowledge/schema.ts';

const ENCODING_NAME = {
  shift_jis: 'SJIS',
  'euc-jp': 'EUCJP',
  'iso-2022-jp': 'JIS',
  'utf-8': 'UTF8',
} as const;

/** A rule case's mail as bytes: CRLF line ends, in the charset the case names. */
export function caseBytes(c: RuleCase): Uint8Array {
  const text = c.mail.replace(/\r?\n/g, '\r\n');
  if (!c.encoding || c.encoding === 'utf-8') return new TextEncoder().encode(text);
  return Uint8Array.from(
    Encoding.convert(Encoding.stringToCode(text), { to: ENCODING_NAME[c.encoding], from: 'UNICODE' }),
  );
}
