import { describe, expect, it } from 'vitest';
import { sniffFileKind } from '#core/file-kind.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('what a file is by its first bytes', () => {
  it('a PDF, also after a few bytes of junk, but not a %PDF deep in a text', () => {
    expect(sniffFileKind(bytes('%PDF-1.7\n'))).toBe('pdf');
    expect(sniffFileKind(bytes('\ufeff  \r\n%PDF-1.4'))).toBe('pdf');
    expect(sniffFileKind(bytes('100% sure %PDx %PDF-1.4'))).toBe('pdf');
    expect(sniffFileKind(bytes(`${'x'.repeat(40)}%PDF-1.4`))).toBeNull();
    expect(sniffFileKind(bytes('50% off, %PD only'))).toBeNull();
    expect(sniffFileKind(bytes('%PD'))).toBeNull();
  });

  it('pictures by their signatures', () => {
    expect(sniffFileKind(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]))).toBe('image');
    expect(sniffFileKind(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('image');
    expect(sniffFileKind(bytes('GIF89a....'))).toBe('image');
    expect(sniffFileKind(bytes('RIFF\0\0\0\0WEBPVP8 '))).toBe('image');
    expect(sniffFileKind(bytes('\0\0\0\x18ftypheic'))).toBe('image');
    expect(sniffFileKind(bytes('From: a@b.example\r\n'))).toBeNull();
  });
});
