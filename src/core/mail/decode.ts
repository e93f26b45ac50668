import Encoding from 'encoding-japanese';
import { decodeAs } from '#core/bytes.ts';

/**
 * Decoding bytes whose charset is missing or wrong. Japanese mail often arrives as raw Shift_JIS or EUC-JP with
 * no label, or labelled as something else (GB2312, ISO-8859-1); detection looks at the bytes themselves.
 */
const DETECTED_TO_LABEL: Record<string, string> = {
  UTF8: 'utf-8',
  SJIS: 'shift_jis',
  EUCJP: 'euc-jp',
  JIS: 'iso-2022-jp',
  UTF16: 'utf-16le',
  UTF16BE: 'utf-16be',
  UTF16LE: 'utf-16le',
  ASCII: 'utf-8',
};

export function detectCharset(bytes: Uint8Array): string | null {
  const detected = Encoding.detect(bytes);
  if (!detected || detected === 'BINARY' || detected === 'UNICODE') return null;
  return DETECTED_TO_LABEL[detected] ?? null;
}

export function decodeBytes(bytes: Uint8Array, label: string): string {
  // windows-31j is what Japanese mailers mean by Shift_JIS; the WHATWG decoder for shift_jis is that superset.
  return decodeAs(bytes, label);
}

/** Decodes text in an unknown encoding: BOM first, then valid UTF-8, then detection. */
export function decodeUnknown(bytes: Uint8Array): { text: string; charset: string } {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), charset: 'utf-8' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), charset: 'utf-16le' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), charset: 'utf-16be' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), charset: 'utf-8' };
  } catch {
    const label = detectCharset(bytes) ?? 'shift_jis';
    return { text: decodeBytes(bytes, label), charset: label };
  }
}

/** Share of characters that are U+FFFD or typical Latin-1 mojibake of Japanese. */
export function garbledShare(s: string): number {
  if (s.length === 0) return 0;
  let bad = 0;
  let n = 0;
  for (const ch of s) {
    n++;
    const c = ch.codePointAt(0)!;
    if (c === 0xfffd || (c >= 0x80 && c <= 0x9f)) bad++;
  }
  return bad / n;
}

const KANA_RE = /[\u3041-\u3096\u30a1-\u30fa]/gu;
const HAN_RE = /[\u4e00-\u9fff]/gu;

/** Share of kana among kana and kanji: Japanese prose is well above 0.2; Chinese, or Japanese read in a Chinese charset, is near 0. */
export function kanaShare(s: string): number {
  const kana = s.match(KANA_RE)?.length ?? 0;
  const han = s.match(HAN_RE)?.length ?? 0;
  return kana + han === 0 ? 0 : kana / (kana + han);
}

/** True when text looks like Japanese decoded with the wrong (Chinese) charset: many kanji, almost no kana. */
export function looksMisdecodedJapanese(s: string): boolean {
  const han = s.slice(0, 20000).match(HAN_RE)?.length ?? 0;
  return han >= 20 && kanaShare(s.slice(0, 20000)) < 0.05;
}
