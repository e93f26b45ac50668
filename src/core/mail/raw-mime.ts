import { decodeWords } from 'postal-mime';
import { binaryString, bytesOfBinaryString, decodeBase64 } from '#core/bytes.ts';
import { decodeBytes, detectCharset, garbledShare, kanaShare } from './decode.ts';
import type { MailAttachment } from './types.ts';
import { CHINESE_LABEL } from './charsets.ts';

/**
 * A minimal walk over the raw MIME tree, used only to re-decode text whose charset label was missing or wrong
 * (the main parse is postal-mime's). Bounded by `maxParts` and `maxDepth`; never recursive beyond them.
 */
export interface RawLeaf {
  contentType: string;
  charset: string | null;
  /** The charset the part declared, when mamori read it in another one. */
  relabelledFrom: string | null;
  text: string;
}

function headerBlockEnd(s: string, from: number): number {
  const a = s.indexOf('\r\n\r\n', from);
  const b = s.indexOf('\n\n', from);
  if (a < 0) return b < 0 ? -1 : b + 2;
  if (b < 0) return a + 4;
  return Math.min(a + 4, b + 2);
}

function unfoldHeaders(block: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = block.split(/\r?\n/);
  let cur = '';
  const flush = () => {
    const m = /^([!-9;-~]+):\s*(.*)$/s.exec(cur);
    if (m && !out.has(m[1]!.toLowerCase())) out.set(m[1]!.toLowerCase(), m[2]!);
  };
  for (const line of lines) {
    if (/^[ \t]/.test(line)) cur += ' ' + line.trim();
    else {
      if (cur) flush();
      cur = line;
    }
  }
  if (cur) flush();
  return out;
}

function param(value: string, name: string): string | null {
  const m = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

function decodeTransfer(body: string, encoding: string): Uint8Array {
  const enc = encoding.trim().toLowerCase();
  if (enc === 'base64') return decodeBase64(body);
  if (enc === 'quoted-printable') {
    const s = body.replace(/=\r?\n/g, '');
    const bytes = new Uint8Array(s.length);
    let n = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x3d && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
        bytes[n++] = parseInt(s.slice(i + 1, i + 3), 16);
        i += 2;
      } else bytes[n++] = c & 0xff;
    }
    return bytes.subarray(0, n);
  }
  return bytesOfBinaryString(body);
}

/** Decodes a leaf: the declared charset if it gives clean text, else what the bytes look like. */
function decodeLeaf(bytes: Uint8Array, declared: string | null): { text: string; charset: string } {
  const detected = detectCharset(bytes) ?? 'utf-8';
  const asDetected = () => ({ text: decodeBytes(bytes, detected), charset: detected });
  if (!declared) return asDetected();
  const t = decodeBytes(bytes, declared);
  if (garbledShare(t) >= 0.001) return asDetected();
  // Japanese bytes under a Chinese label (GB2312 even shares the kana rows with EUC-JP) decode with few errors
  // but with the wrong kanji: prefer the Japanese reading when it clearly reads as Japanese.
  if (CHINESE_LABEL.test(declared) && /^(shift_jis|euc-jp|iso-2022-jp)$/.test(detected)) {
    const alt = decodeBytes(bytes, detected);
    if (kanaShare(alt) >= 0.2 && garbledShare(alt) < 0.001) return { text: alt, charset: detected };
  }
  return { text: t, charset: declared };
}

/**
 * The text leaves of the raw MIME tree. With `attachments`, the other leaves are listed there too (name, type and
 * size, no content): when postal-mime gave up, the attachment rules still see a `Invoice.exe`.
 */
export function rawTextLeaves(
  raw: Uint8Array,
  maxParts: number,
  maxDepth: number,
  attachments?: MailAttachment[],
  /** A text leaf is decoded up to this many characters of its body. */
  maxLeafChars = Infinity,
): RawLeaf[] {
  const s = binaryString(raw);
  const leaves: RawLeaf[] = [];
  let parts = 0;
  const walk = (start: number, end: number, depth: number) => {
    if (parts++ >= maxParts || depth > maxDepth) return;
    const he = headerBlockEnd(s, start);
    if (he < 0 || he > end) return;
    const headers = unfoldHeaders(s.slice(start, he));
    const ct = headers.get('content-type') ?? 'text/plain';
    const type = ct.split(';')[0]!.trim().toLowerCase();
    if (type.startsWith('multipart/')) {
      const boundary = param(ct, 'boundary');
      if (!boundary) return;
      const delim = '--' + boundary;
      let pos = s.indexOf(delim, he);
      while (pos >= 0 && pos < end) {
        const lineEnd = s.indexOf('\n', pos);
        if (lineEnd < 0 || s.startsWith(delim + '--', pos)) break;
        const next = s.indexOf(delim, lineEnd);
        const partEnd = next < 0 || next > end ? end : next;
        walk(lineEnd + 1, partEnd, depth + 1);
        if (next < 0) break;
        pos = next;
      }
      return;
    }
    const disposition = headers.get('content-disposition') ?? '';
    const isAttachment = disposition.toLowerCase().startsWith('attachment');
    if ((type !== 'text/plain' && type !== 'text/html') || isAttachment) {
      if (attachments && depth > 0) {
        const name = param(disposition, 'filename') ?? param(ct, 'name') ?? '';
        attachments.push({
          filename: decodeWords(name.slice(0, 1024)),
          mimeType: type,
          size: Math.max(0, end - he),
          content: null,
        });
      }
      return;
    }
    const bytes = decodeTransfer(
      s.slice(he, Math.min(end, he + maxLeafChars)),
      headers.get('content-transfer-encoding') ?? '7bit',
    );
    const declared = param(ct, 'charset');
    const { text, charset } = decodeLeaf(bytes, declared);
    leaves.push({
      contentType: type,
      charset,
      relabelledFrom: declared && declared.toLowerCase() !== charset ? declared : null,
      text,
    });
  };
  walk(0, s.length, 0);
  return leaves;
}

/** The raw header block decoded in whatever charset its 8-bit bytes are in, unfolded. */
export function rawHeaderFields(raw: Uint8Array): Map<string, string> {
  const s = binaryString(raw.subarray(0, Math.min(raw.length, 256 * 1024)));
  const he = headerBlockEnd(s, 0);
  const blockBytes = raw.subarray(0, he < 0 ? raw.length : he);
  const charset = detectCharset(blockBytes) ?? 'utf-8';
  return unfoldHeaders(decodeBytes(blockBytes, charset));
}
