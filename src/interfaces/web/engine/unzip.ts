/**
 * The Amazon export arrives as a zip (「データをリクエスト」). In the browser there is no yauzl: fflate lists the
 * entries and inflates only the CSVs, with the same kind of limits the CLI's zip reader keeps (entry count, each
 * entry's and the total declared size), so a zip bomb is refused instead of filling the memory.
 */
import { unzipSync } from 'fflate';

const MAX_ENTRIES = 2000;
const MAX_ENTRY = 200 * 1024 * 1024;
const MAX_TOTAL = 400 * 1024 * 1024;

export function unzipCsvs(
  bytes: Uint8Array,
): { path: string; bytes: Uint8Array }[] | { problem: 'unreadable' | 'too-large' } {
  let entries = 0;
  let total = 0;
  let tooLarge = false;
  try {
    const files = unzipSync(bytes, {
      filter(f) {
        entries++;
        if (!/\.csv$/i.test(f.name)) return false;
        total += f.originalSize;
        if (entries > MAX_ENTRIES || f.originalSize > MAX_ENTRY || total > MAX_TOTAL) tooLarge = true;
        return !tooLarge;
      },
    });
    if (tooLarge) return { problem: 'too-large' };
    return Object.entries(files)
      .filter(([, b]) => b.length <= MAX_ENTRY)
      .map(([path, b]) => ({ path, bytes: b }));
  } catch {
    return { problem: 'unreadable' };
  }
}
