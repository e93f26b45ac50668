/**
 * Bytes in core are `Uint8Array`s; text decoding goes through the standard `TextDecoder` with the explicit label
 * mapping below. Nothing here uses Node's byte class or a `latin1` round trip: Node 20 decodes `latin1` as ISO-8859-1, but
 * browsers and Node 22/24 decode it as windows-1252, which changes bytes 0x80–0x9F (Shift_JIS lead bytes).
 */

const windows1252 = new TextDecoder('latin1');

/** Each byte as the character with the same code (0–255): an exact, reversible view of the bytes as text. */
export function binaryString(bytes: Uint8Array): string {
  // Without bytes 0x80–0x9F, windows-1252 (what every TextDecoder gives for `latin1`) and ISO-8859-1 agree, and
  // the native decoder is many times faster than building the string here.
  let c1 = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b >= 0x80 && b <= 0x9f) {
      c1 = true;
      break;
    }
  }
  if (!c1) return windows1252.decode(bytes);
  let out = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return out;
}

/**
 * One character per byte, for patterns written in ASCII only: ASCII bytes are themselves, every other byte is some
 * non-ASCII character (windows-1252 or ISO-8859-1, which differ only in 0x80–0x9F). Faster than `binaryString`;
 * never for text that is decoded back to bytes or shown.
 */
export function asciiSearchText(bytes: Uint8Array): string {
  return windows1252.decode(bytes);
}

/** The inverse of `binaryString`: each character's low byte. */
export function bytesOfBinaryString(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

const B64 = new Int16Array(256).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  .split('')
  .forEach((c, i) => (B64[c.charCodeAt(0)] = i));
B64['-'.charCodeAt(0)] = 62; // base64url, as some mailers write it
B64['_'.charCodeAt(0)] = 63;

/**
 * Lenient base64, as mail readers decode it: characters outside the alphabet (line breaks, spaces, junk) are
 * skipped, decoding stops at the first `=`, and a trailing partial group gives the bytes it holds.
 */
export function decodeBase64(s: string): Uint8Array {
  const out = new Uint8Array(Math.floor((s.length * 3) / 4) + 3);
  let n = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x3d) break;
    const v = c < 256 ? B64[c]! : -1;
    if (v < 0) continue;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, n);
}

/** windows-1252's 0x80–0x9F (WHATWG); the rest of the single-byte range is the same code point. */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d,
  0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a,
  0x153, 0x9d, 0x17e, 0x178,
];

/** windows-1252, decoded the same in every runtime (Node 20's decoder treats it as ISO-8859-1). */
export function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  let run = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b >= 0x80 && b <= 0x9f) {
      out += binaryString(bytes.subarray(run, i)) + String.fromCharCode(CP1252_HIGH[b - 0x80]!);
      run = i + 1;
    }
  }
  return out + binaryString(bytes.subarray(run));
}

/**
 * Mail and CSV charset labels → the decoder mamori uses. Legacy Japanese and Chinese labels that mailers write
 * (and that not every runtime knows) are mapped explicitly; ISO-8859-1 and ASCII labels decode byte for byte (each
 * byte the same code point, as Node 20 does and as mail garble checks expect; browsers would read them as
 * windows-1252), and windows-1252 gets its own table, since Node 20 reads it as ISO-8859-1.
 */
const LABELS: Record<string, string> = {
  shift_jis: 'shift_jis',
  'shift-jis': 'shift_jis',
  sjis: 'shift_jis',
  'x-sjis': 'shift_jis',
  'windows-31j': 'shift_jis',
  cp932: 'shift_jis',
  ms932: 'shift_jis',
  ms_kanji: 'shift_jis',
  csshiftjis: 'shift_jis',
  'euc-jp': 'euc-jp',
  'x-euc-jp': 'euc-jp',
  cseucpkdfmtjapanese: 'euc-jp',
  'iso-2022-jp': 'iso-2022-jp',
  csiso2022jp: 'iso-2022-jp',
  gb2312: 'gbk',
  gbk: 'gbk',
  'x-gbk': 'gbk',
  cp936: 'gbk',
  'euc-cn': 'gbk',
  csgb2312: 'gbk',
  gb18030: 'gb18030',
  big5: 'big5',
  'big5-hkscs': 'big5',
  'x-x-big5': 'big5',
  'euc-kr': 'euc-kr',
  'ks_c_5601-1987': 'euc-kr',
  'iso-8859-1': 'iso-8859-1',
  'iso8859-1': 'iso-8859-1',
  'iso_8859-1': 'iso-8859-1',
  latin1: 'iso-8859-1',
  l1: 'iso-8859-1',
  'us-ascii': 'iso-8859-1',
  ascii: 'iso-8859-1',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  'x-cp1252': 'windows-1252',
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'unicode-1-1-utf-8': 'utf-8',
  'utf-16': 'utf-16le',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
};

/** The decoder label for a charset label, or null when mamori does not know it. */
export function decoderLabel(label: string): string | null {
  return LABELS[label.trim().toLowerCase()] ?? null;
}

/**
 * Decodes bytes in the named charset: the explicit mapping first, then whatever the runtime's `TextDecoder`
 * knows; an unknown label decodes as UTF-8 (with U+FFFD for what does not fit, which the garble checks see).
 */
export function decodeAs(bytes: Uint8Array, label: string): string {
  const mapped = decoderLabel(label);
  if (mapped === 'windows-1252') return decodeWindows1252(bytes);
  if (mapped === 'iso-8859-1') return binaryString(bytes);
  try {
    return new TextDecoder(mapped ?? label.trim()).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

const B64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 (with padding) of some bytes, as MIME writes it (no line breaks). */
export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out +=
      B64_ALPHABET[n >> 18]! +
      B64_ALPHABET[(n >> 12) & 63]! +
      B64_ALPHABET[(n >> 6) & 63]! +
      B64_ALPHABET[n & 63]!;
  }
  if (i < bytes.length) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8);
    out += B64_ALPHABET[n >> 18]! + B64_ALPHABET[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? B64_ALPHABET[(n >> 6) & 63]! + '=' : '==';
  }
  return out;
}
