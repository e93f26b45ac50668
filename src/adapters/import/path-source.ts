import { createReadStream, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, isAbsolute } from 'node:path';
import { ImportError, openZip } from '#adapters/archive/yauzl-archive.ts';
import { CsvReader } from '#core/ledger/csv.ts';
import { detectCharset } from '#core/mail/decode.ts';
import type { ReconcileSettings } from '#core/knowledge/schema.ts';
import type { ImportProblem } from '#core/ledger/types.ts';
import type { Archive } from '#core/ports/archive.ts';
import type { ImportEntry, ImportSource } from '#core/ports/import-source.ts';

export { ImportError } from '#adapters/archive/yauzl-archive.ts';

/** What one import reads at most (data/reconcile.yaml `importLimits`): a zip bomb is refused before inflation. */
export type ImportLimits = ReconcileSettings['importLimits'];

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

function fsProblem(err: unknown, file: string): ImportError {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return new ImportError({ code: 'not-found', file });
  return new ImportError({ code: 'unreadable', file, detail: code ?? message(err) });
}

/** Turns whatever a byte stream throws (fs, inflate, size checks) into the port's failure. */
async function* guarded(chunks: () => AsyncIterable<Uint8Array>, file: string): AsyncGenerator<Uint8Array> {
  try {
    for await (const c of chunks()) yield c;
  } catch (e) {
    if (e instanceof ImportError) throw e;
    throw fsProblem(e, file);
  }
}

async function readAll(chunks: AsyncIterable<Uint8Array>, cap: number, file: string): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const c of chunks) {
    size += c.length;
    if (size > cap)
      throw new ImportError({ code: 'too-large', file, detail: `over ${Math.round(cap / 1e6)} MB` });
    parts.push(c);
  }
  const out = new Uint8Array(size);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

async function firstChunk(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  for await (const c of chunks) return c;
  return new Uint8Array(0);
}

/** Streams CSV rows, decoding in whatever charset the first bytes show; a broken CSV is `damaged`, not a crash. */
async function* csvRows(
  open: () => AsyncIterable<Uint8Array>,
  file: string,
  limits: ImportLimits,
): AsyncGenerator<string[]> {
  const head = await firstChunk(open());
  const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  let label = 'utf-8';
  if (!bom) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, Math.max(0, head.length - 4)));
    } catch {
      label = detectCharset(head) ?? 'shift_jis';
    }
  }
  // Fatal: bytes that are not of the charset the file starts in (a file that is UTF-8 for 64 KiB and CP932 after)
  // are refused with a message, never stored as garbled rows.
  const decoder = new TextDecoder(label, { fatal: true });
  let decoded = 0;
  const decode = (chunk?: Uint8Array) => {
    try {
      const text = chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
      decoded += chunk?.length ?? 0;
      return text;
    } catch {
      // Undecodable from the first chunk on: an encoding mamori cannot read; later on: a file that changes.
      throw new ImportError(
        decoded === 0
          ? { code: 'encoding', file }
          : { code: 'mixed-encoding', file, detail: `${label} until byte ${decoded}`, recognised: [label] },
      );
    }
  };
  const reader = new CsvReader({ skipEmptyLines: true, maxRecordSize: limits.maxCsvRecordChars });
  const batch: string[][] = [];
  const take = (record: string[]) => batch.push(record);
  let rows = 0;
  // The records of each piece read, checked against the limits as they are handed on (the reader counts ragged
  // rows up to the end of the piece, ahead of the rows handed on).
  function* handOn(): Generator<string[]> {
    for (const row of batch) {
      if (++rows > limits.maxCsvRows)
        throw new ImportError({ code: 'too-large', file, detail: `over ${limits.maxCsvRows} rows` });
      if (reader.invalidFieldLength > limits.maxRaggedRows)
        throw new ImportError({
          code: 'damaged',
          file,
          detail: `over ${limits.maxRaggedRows} rows with a different number of cells`,
        });
      yield row;
    }
    batch.length = 0;
  }
  // One piece is read, its rows handed on, then the next: the file is read no faster than its rows are used, and
  // a consumer that stops (a header read, a failure) stops the reading there. Nothing reads behind its back: two
  // streams alive at once on one zip let yauzl's fd-slicer run a queued read after its stream was destroyed (a
  // TypeError thrown from an fs callback, which took the whole process down: found by the zip fuzzer).
  try {
    for await (const chunk of open()) {
      reader.push(decode(chunk), false, take);
      yield* handOn();
    }
    reader.push(decode(), true, take);
    yield* handOn();
  } catch (e) {
    if (e instanceof ImportError) throw e;
    throw new ImportError({ code: 'damaged', file, detail: message(e) });
  }
}

function entry(
  path: string,
  size: number,
  open: () => AsyncIterable<Uint8Array>,
  limits: ImportLimits,
): ImportEntry {
  return {
    path,
    size,
    rows: () => csvRows(open, path, limits),
    bytes: (cap) => readAll(open(), cap, path),
  };
}

const inside = (root: string, p: string) => {
  const r = relative(root, p);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
};

/**
 * The regular files of a folder, recursively. FIFOs, sockets and devices are skipped with a note (opening a FIFO
 * would block forever); a symbolic link is followed only when it points inside the folder given.
 */
function walk(root: string, limits: ImportLimits, skipped: ImportProblem[]): string[] {
  const realRoot = realpathSync(root);
  const out: string[] = [];
  const visit = (dir: string) => {
    let list;
    try {
      list = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      throw fsProblem(e, dir);
    }
    for (const d of list) {
      if (d.name.startsWith('.')) continue;
      const p = join(dir, d.name);
      let kind: 'file' | 'dir' | 'special' = d.isFile() ? 'file' : d.isDirectory() ? 'dir' : 'special';
      if (d.isSymbolicLink()) {
        let target: string;
        try {
          target = realpathSync(p);
        } catch {
          skipped.push({ code: 'skipped-link', file: p });
          continue;
        }
        if (!inside(realRoot, target)) {
          skipped.push({ code: 'skipped-link', file: p });
          continue;
        }
        const st = statSync(target);
        kind = st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'special';
        if (kind === 'dir') continue; // the folder itself is walked where it really is
      }
      if (kind === 'special') {
        skipped.push({ code: 'skipped-special', file: p });
        continue;
      }
      if (kind === 'dir') {
        visit(p);
        continue;
      }
      if (out.length >= limits.maxFolderFiles)
        throw new ImportError({
          code: 'too-large',
          file: root,
          detail: `over ${limits.maxFolderFiles} files`,
        });
      out.push(p);
    }
  };
  visit(root);
  return out;
}

const isZip = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b && (b[2] === 0x03 || b[2] === 0x05);

/** Every entry is checked against the limits before any is inflated. */
async function zipEntries(
  zip: Archive,
  limits: ImportLimits,
): Promise<{ info: { name: string; size: number }; e: ImportEntry }[]> {
  const list = await zip.list();
  const total = list.reduce((n, e) => n + e.size, 0);
  if (total > limits.maxZipTotalBytes)
    throw new ImportError({
      code: 'zip-bomb',
      file: zip.label,
      detail: `${total} bytes in ${list.length} entries`,
    });
  for (const e of list) {
    const ratio = e.compressedSize > 0 ? e.size / e.compressedSize : 0;
    if (e.size > limits.maxEntryBytes || (ratio > limits.maxRatio && e.size > 10 * 1024 * 1024))
      throw new ImportError({
        code: 'zip-bomb',
        file: `${zip.label}!${e.name}`,
        detail: `${e.size} bytes from ${e.compressedSize}`,
      });
  }
  return list.map((info) => ({
    info,
    e: entry(`${zip.label}!${info.name}`, info.size, () => zip.read(info.name), limits),
  }));
}

/**
 * The ImportSource of one path: a folder's files, a zip's entries (and one level of zips inside it), or the file.
 * Every failure (missing file, permissions, corrupt deflate, lying sizes, unclosed quotes) is an ImportError.
 */
export function pathImportSource(path: string, limits: ImportLimits): ImportSource {
  const archives: Archive[] = [];
  const skipped: ImportProblem[] = [];
  const open = async (source: string | Uint8Array, label: string) => {
    const z = await openZip(source, label, { maxEntries: limits.maxZipEntries });
    archives.push(z);
    return z;
  };
  return {
    label: path,
    skipped,
    async entries() {
      let st;
      try {
        st = statSync(path);
      } catch (e) {
        throw fsProblem(e, path);
      }
      if (!st.isDirectory() && !st.isFile()) throw new ImportError({ code: 'not-a-file', file: path });
      const files = st.isDirectory() ? walk(path, limits, skipped) : [path];
      const out: ImportEntry[] = [];
      for (const f of files) {
        let size: number;
        try {
          size = statSync(f).size;
        } catch (e) {
          throw fsProblem(e, f);
        }
        const file = entry(f, size, () => guarded(() => createReadStream(f), f), limits);
        if (!isZip(await firstChunk(guarded(() => createReadStream(f, { end: 3 }), f)))) {
          out.push(file);
          continue;
        }
        for (const { info, e } of await zipEntries(await open(f, f), limits)) {
          if (!/\.zip$/i.test(info.name)) {
            out.push(e);
            continue;
          }
          const inner = await open(await e.bytes(limits.maxNestedZipBytes), e.path);
          out.push(...(await zipEntries(inner, limits)).map((x) => x.e));
        }
      }
      return out;
    },
    close() {
      for (const a of archives.splice(0)) a.close();
    },
  };
}
