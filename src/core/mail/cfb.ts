/**
 * A structural check of a Compound File (the container of an Outlook .msg) before any reader sees it. A broken
 * file of a few kilobytes (a sector chain that loops, a stream that claims gigabytes) made the .msg reader run out
 * of memory after 20 s; every chain here is walked at most once, within the file's own sector count.
 */
export interface CfbLimits {
  maxStreams: number;
  maxSectors: number;
}

const MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const END_OF_CHAIN = 0xfffffffe;
const FREE = 0xffffffff;

/** Null when the structure is sound; otherwise what is wrong with it (shown to the user as the detail). */
export function cfbProblem(bytes: Uint8Array, limits: CfbLimits): string | null {
  if (bytes.length < 512 || !MAGIC.every((b, i) => bytes[i] === b)) return 'not a compound file';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (o: number) => view.getUint16(o, true);
  const u32 = (o: number) => (o + 4 <= bytes.length ? view.getUint32(o, true) : FREE);
  const shift = u16(0x1e);
  if (shift !== 9 && shift !== 12) return `sector shift ${shift}`;
  if (u16(0x20) !== 6) return `mini sector shift ${u16(0x20)}`;
  const size = 1 << shift;
  const sectors = Math.ceil((bytes.length - size) / size);
  if (sectors <= 0) return 'no sectors';
  if (sectors > limits.maxSectors) return `${sectors} sectors (limit ${limits.maxSectors})`;
  const fatCount = u32(0x2c);
  const miniFatCount = u32(0x40);
  const difatCount = u32(0x48);
  if (fatCount > sectors || miniFatCount > sectors || difatCount > sectors)
    return `declares ${fatCount} FAT sectors in a file of ${sectors}`;
  const offset = (s: number) => (s + 1) * size;
  const valid = (s: number) => s < sectors;

  // The FAT's own sectors: 109 in the header, the rest in a DIFAT chain.
  const fatSectors: number[] = [];
  for (let i = 0; i < 109 && fatSectors.length < fatCount; i++) {
    const s = u32(0x4c + i * 4);
    if (s === FREE) break;
    if (!valid(s)) return `FAT sector ${s} outside the file`;
    fatSectors.push(s);
  }
  let difat = u32(0x44);
  const seenDifat = new Set<number>();
  while (fatSectors.length < fatCount && difat !== END_OF_CHAIN && difat !== FREE) {
    if (!valid(difat) || seenDifat.has(difat)) return 'DIFAT chain broken or looping';
    seenDifat.add(difat);
    const per = size / 4 - 1;
    for (let i = 0; i < per && fatSectors.length < fatCount; i++) {
      const s = u32(offset(difat) + i * 4);
      if (s === FREE) continue;
      if (!valid(s)) return `FAT sector ${s} outside the file`;
      fatSectors.push(s);
    }
    difat = u32(offset(difat) + per * 4);
  }
  const perFat = size / 4;
  const next = (s: number): number => {
    const f = fatSectors[Math.floor(s / perFat)];
    return f === undefined ? FREE : u32(offset(f) + (s % perFat) * 4);
  };
  /** Length of a chain in sectors, or -1 when it leaves the file or loops. */
  const chain = (start: number, max: number, nextOf: (s: number) => number, bound: number): number => {
    let n = 0;
    for (let s = start; s !== END_OF_CHAIN; s = nextOf(s)) {
      if (s >= bound || ++n > max) return -1;
    }
    return n;
  };

  const dirStart = u32(0x30);
  const dirSectors = chain(dirStart, sectors, next, sectors);
  if (dirSectors < 0) return 'directory chain broken or looping';
  const entries = (dirSectors * size) / 128;
  if (entries > limits.maxStreams) return `${entries} directory entries (limit ${limits.maxStreams})`;
  const cutoff = u32(0x38);
  const miniFatSectors = miniFatCount === 0 ? 0 : chain(u32(0x3c), sectors, next, sectors);
  if (miniFatSectors < 0) return 'mini FAT chain broken or looping';
  const miniSectors = (miniFatSectors * size) / 4;

  // Each stream's chain must fit its declared size and the file.
  let dir = dirStart;
  let rootMiniStart = END_OF_CHAIN;
  let miniStreamSize = 0;
  const miniFatSectorList: number[] = [];
  for (let s = u32(0x3c), i = 0; i < miniFatSectors; i++, s = next(s)) miniFatSectorList.push(s);
  const nextMini = (s: number): number => {
    const f = miniFatSectorList[Math.floor(s / perFat)];
    return f === undefined ? FREE : u32(offset(f) + (s % perFat) * 4);
  };
  for (let d = 0; d < dirSectors; d++, dir = next(dir)) {
    for (let e = 0; e < size / 128; e++) {
      const o = offset(dir) + e * 128;
      const type = bytes[o + 0x42];
      if (type !== 1 && type !== 2 && type !== 5) continue;
      const start = u32(o + 0x74);
      // Version 3 files may leave garbage in the high half of the size.
      const len = u32(o + 0x78) + (shift === 12 ? u32(o + 0x7c) * 2 ** 32 : 0);
      if (type === 5) {
        rootMiniStart = start;
        miniStreamSize = len;
      }
      if (type === 1 || len === 0) continue;
      if (len > bytes.length) return `a stream claims ${len} bytes in a file of ${bytes.length}`;
      if (type === 5 || len >= cutoff) {
        const need = Math.ceil(len / size);
        if (chain(start, need + 16, next, sectors) < 0) return 'stream chain broken or looping';
      } else {
        const need = Math.ceil(len / 64);
        if (chain(start, need + 16, nextMini, miniSectors) < 0) return 'mini stream chain broken or looping';
      }
    }
  }
  if (miniStreamSize > 0 && rootMiniStart === END_OF_CHAIN) return 'mini stream without sectors';
  return null;
}
