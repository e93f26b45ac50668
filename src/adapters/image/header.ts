// A picture's kind and size from its first bytes: pure, so the browser's reader uses it too (pixels.ts needs
// pngjs and jpeg-js, which need Node's Buffer).

export type PictureFormat = 'png' | 'jpeg' | 'webp' | 'gif' | 'other';

const ascii = (b: Uint8Array, at: number, s: string) =>
  b.length >= at + s.length && [...s].every((c, i) => b[at + i] === c.charCodeAt(0));

export function pictureFormat(b: Uint8Array): PictureFormat {
  if (b[0] === 0x89 && ascii(b, 1, 'PNG')) return 'png';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')) return 'webp';
  if (ascii(b, 0, 'GIF8')) return 'gif';
  return 'other';
}

const u16 = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const u32 = (b: Uint8Array, at: number) =>
  ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;

/**
 * Width and height from the header alone (PNG IHDR, JPEG SOFn, WebP VP8/VP8L/VP8X), so a picture over the pixel
 * limit is refused before anything decodes it. Null when the header cannot be read.
 */
export function pictureSize(b: Uint8Array): { width: number; height: number } | null {
  const f = pictureFormat(b);
  if (f === 'png')
    return b.length >= 24 && ascii(b, 12, 'IHDR') ? { width: u32(b, 16), height: u32(b, 20) } : null;
  if (f === 'jpeg') {
    for (let i = 2; i + 9 < b.length;) {
      if (b[i] !== 0xff) return null;
      const marker = b[i + 1]!;
      if (marker === 0xff) {
        i++;
        continue;
      }
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
        return { height: u16(b, i + 5), width: u16(b, i + 7) };
      if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7)) {
        i += 2;
        continue;
      }
      i += 2 + u16(b, i + 2);
    }
    return null;
  }
  if (f === 'webp' && b.length >= 30) {
    if (ascii(b, 12, 'VP8X'))
      return {
        width: 1 + (b[24]! | (b[25]! << 8) | (b[26]! << 16)),
        height: 1 + (b[27]! | (b[28]! << 8) | (b[29]! << 16)),
      };
    if (ascii(b, 12, 'VP8L')) {
      const v = b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24);
      return { width: (v & 0x3fff) + 1, height: ((v >>> 14) & 0x3fff) + 1 };
    }
    if (ascii(b, 12, 'VP8 '))
      return { width: (b[26]! | (b[27]! << 8)) & 0x3fff, height: (b[28]! | (b[29]! << 8)) & 0x3fff };
  }
  return null;
}
