import { describe, expect, it } from 'vitest';
import {
  encodeBase64,
  binaryString,
  bytesOfBinaryString,
  decodeAs,
  decodeBase64,
  decoderLabel,
  decodeWindows1252,
} from '#core/bytes.ts';

describe('bytes without Buffer', () => {
  it('binaryString is exact and reversible for every byte, including 0x80–0x9F', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const s = binaryString(all);
    expect([...s].map((c) => c.charCodeAt(0))).toEqual([...all]);
    expect([...bytesOfBinaryString(s)]).toEqual([...all]);
  });

  it('binaryString handles inputs larger than one chunk', () => {
    const big = new Uint8Array(100_000).map((_, i) => i % 251);
    expect(bytesOfBinaryString(binaryString(big))).toEqual(big);
  });

  it('base64 decodes leniently, as mail readers do', () => {
    const text = new TextEncoder().encode('こんにちは Amazon');
    const b64 = btoa(binaryString(text));
    expect(decodeBase64(b64)).toEqual(text);
    expect(decodeBase64(b64.replace(/(.{4})/g, '$1\r\n '))).toEqual(text);
    expect(decodeBase64(b64.replace(/=+$/, ''))).toEqual(text);
    expect(decodeBase64('QUJD!!RA')).toEqual(Uint8Array.of(0x41, 0x42, 0x43, 0x44));
    expect(decodeBase64('')).toEqual(new Uint8Array(0));
  });

  it('windows-1252 maps 0x80–0x9F as browsers do, on every Node', () => {
    expect(decodeWindows1252(Uint8Array.of(0x80, 0x93, 0x94, 0xe9, 0x41))).toBe('€“”éA');
    expect(decodeAs(Uint8Array.of(0x80), 'windows-1252')).toBe('€');
  });

  it('ISO-8859-1 and ASCII labels decode byte for byte on every runtime', () => {
    expect(decodeAs(Uint8Array.of(0x82, 0xa0), 'ISO-8859-1')).toBe('\u0082\u00a0');
    expect(decodeAs(Uint8Array.of(0x82), 'us-ascii')).toBe('\u0082');
  });

  it('maps the legacy Japanese and Chinese labels mailers write', () => {
    for (const l of ['Shift_JIS', 'x-sjis', 'windows-31j', 'CP932', 'MS932'])
      expect(decoderLabel(l)).toBe('shift_jis');
    for (const l of ['GB2312', 'cp936', 'EUC-CN', 'x-gbk']) expect(decoderLabel(l)).toBe('gbk');
    expect(decoderLabel('ISO-2022-JP')).toBe('iso-2022-jp');
    expect(decoderLabel('ks_c_5601-1987')).toBe('euc-kr');
    // 「アカウント」 in Shift_JIS under a label Node's decoder does not know by that name
    const sjis = Uint8Array.of(0x83, 0x41, 0x83, 0x4a, 0x83, 0x45, 0x83, 0x93, 0x83, 0x67);
    expect(decodeAs(sjis, 'cp932')).toBe('アカウント');
    expect(decodeAs(Uint8Array.of(0x41), 'no-such-charset')).toBe('A');
  });
});

describe('encodeBase64', () => {
  it('writes what decodeBase64 reads, padded as MIME writes it, for every length', () => {
    for (let n = 0; n < 70; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 31) & 255);
      const b64 = encodeBase64(bytes);
      expect(b64).toBe(btoa(String.fromCharCode(...bytes)));
      expect([...decodeBase64(b64)]).toEqual([...bytes]);
    }
  });
});
