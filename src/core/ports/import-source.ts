import type { ImportProblem } from '#core/ledger/types.ts';

/** How a source reports an input it cannot read: it throws (or rejects with) a value of this shape. */
export interface SourceFailure {
  problem: ImportProblem;
}

/** One file of an import: a file on disk, a file in a folder, an entry of a zip (path inside with `!`). */
export interface ImportEntry {
  readonly path: string;
  /** Declared size in bytes (0 = empty). */
  readonly size: number;
  /** The entry as CSV rows, decoded from whatever charset its first bytes show; streamed. */
  rows(): AsyncIterable<string[]>;
  /** The whole entry, refused (SourceFailure `too-large`) above `cap` bytes. */
  bytes(cap: number): Promise<Uint8Array>;
}

/**
 * What one path given to `import` holds (a folder's files, a zip's entries and zips inside it, or the file).
 * Byte, zip and CSV-stream reading stay behind this port (`src/adapters/import/path-source.ts`); the use case
 * (`#core/app/import-files.ts`) classifies, maps and stores. Every read failure is a SourceFailure, never a raw
 * library error.
 */
export interface ImportSource {
  readonly label: string;
  /** What the source chose not to read (special files, links out of the folder), filled in by `entries()`. */
  readonly skipped?: readonly ImportProblem[];
  /** Listed before anything is inflated (a zip bomb is refused by its declared sizes); nested zips expanded. */
  entries(): Promise<readonly ImportEntry[]>;
  /** Releases open files once the import is over. */
  close?(): void;
}
