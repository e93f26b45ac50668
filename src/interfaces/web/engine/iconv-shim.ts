/**
 * What the .msg reader (@kenjiuno/msgreader) asks of iconv-lite, in the page: decoding a string in a legacy code
 * page, done by the browser's own TextDecoder (the WHATWG encodings). iconv-lite itself needs Node's Buffer, so
 * the web build aliases it to this module (vite.config.ts). The reader only decodes; encoding is not offered.
 */
import { decodeAs } from '#core/bytes.ts';

const CODE_PAGES: Record<string, string> = {
  cp932: 'shift_jis',
  cp936: 'gbk',
  cp949: 'euc-kr',
  cp950: 'big5',
};

export function decode(bytes: Uint8Array, encoding: string): string {
  const e = encoding.toLowerCase();
  const label = CODE_PAGES[e] ?? (/^cp\d+$/.test(e) ? `windows-${e.slice(2)}` : e);
  return decodeAs(bytes, label);
}

export function encode(): never {
  throw new Error('encoding is not available in the page');
}
