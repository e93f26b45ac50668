/**
 * What a file is by its first bytes, whatever its name says: a PDF or a picture given where a mail or a CSV was
 * expected is told apart from a broken file, so the person can be told what to give instead.
 */
export type FileKind = 'pdf' | 'image';

const ascii = (b: Uint8Array, at: number, s: string) =>
  b.length >= at + s.length && [...s].every((c, i) => b[at + i] === c.charCodeAt(0));

export function sniffFileKind(bytes: Uint8Array): FileKind | null {
  // %PDF may follow a few bytes of junk (a BOM, whitespace); readers accept it within the first 1024 bytes.
  const head = bytes.subarray(0, 1024);
  for (let i = head.indexOf(0x25); i >= 0 && i + 4 <= head.length; i = head.indexOf(0x25, i + 1))
    if (head[i + 1] === 0x50 && head[i + 2] === 0x44 && head[i + 3] === 0x46) return i < 16 ? 'pdf' : null;
  if (bytes[0] === 0x89 && ascii(bytes, 1, 'PNG')) return 'image';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image';
  if (ascii(bytes, 0, 'GIF87a') || ascii(bytes, 0, 'GIF89a')) return 'image';
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return 'image';
  // HEIC/HEIF/AVIF (iPhone photos): an ISO box "ftyp" with an image brand.
  if (
    ascii(bytes, 4, 'ftyp') &&
    /^(heic|heix|hevc|hevx|heim|heis|mif1|msf1|avif)$/.test(String.fromCharCode(...bytes.subarray(8, 12)))
  )
    return 'image';
  return null;
}
