/** One file inside an archive, with the sizes its directory declares (which a hostile zip may lie about). */
export interface ArchiveEntryInfo {
  name: string;
  size: number;
  compressedSize: number;
}

/**
 * A zip, read entry by entry without inflating it whole (yauzl implements it in `src/adapters/archive`).
 * Reading an entry that turns out to be damaged, or whose size lies, throws with a `problem` (see ImportSource).
 */
export interface Archive {
  readonly label: string;
  list(): Promise<ArchiveEntryInfo[]>;
  read(name: string): AsyncIterable<Uint8Array>;
  close(): void;
}
