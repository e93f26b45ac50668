import type { ImportEntry, ImportSource, SourceFailure } from '#core/ports/import-source.ts';
import { readCsvRows } from './statements.ts';

/**
 * An ImportSource over files already in memory (what a browser page gets from a file picker or a drop): each
 * file is one entry. CSV rows are decoded from the bytes as the CLI's reader does (CP932, UTF-8 ± BOM, UTF-16).
 */
export function bytesImportSource(
  label: string,
  files: readonly { path: string; bytes: Uint8Array }[],
): ImportSource {
  const entries: ImportEntry[] = files.map((f) => ({
    path: f.path,
    size: f.bytes.length,
    async *rows() {
      const read = readCsvRows(f.bytes);
      if ('error' in read) {
        const failure: SourceFailure = { problem: { code: 'unreadable', file: f.path, detail: read.error } };
        throw failure;
      }
      yield* read.rows;
    },
    async bytes(cap: number) {
      if (f.bytes.length > cap) {
        const failure: SourceFailure = { problem: { code: 'too-large', file: f.path } };
        throw failure;
      }
      return f.bytes;
    },
  }));
  return { label, entries: async () => entries };
}
