import { createReadStream, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, isAbsolute } from 'node:path';
import { parse as parseCsvStream } from 'csv-parse';
import { ImportError, openZip } from '#adapters/archive/yauzl-archive.ts';
import { withoutStackTraces } from '#core/ledger/statements.ts';
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
  const parser = parseCsvStream({
    relax_column_count: true,
    relax_quotes: true,
    bom: true,
    skip_empty_lines: true,
    max_record_size: limits.maxCsvRecordChars,
  });
  // Ragged rows are counted by the parser (`info`, ahead of the rows read) and checked as each row is read: an
  // `on_record` hook would have csv-parse build an info object for every row of a 100 MB export.
  const info = parser.info as { invalid_field_length: number };
  let readFailure: unknown = null;
  // The reader stops as soon as the consumer does (a header read, a failure): no file is left open behind it.
  let stopped = false;
  let wake: (() => void) | null = null;
  const resume = () => {
    wake?.();
    wake = null;
  };
  parser.on('drain', resume);
  parser.on('close', () => {
    stopped = true;
    resume();
  });
  // The reader is awaited before this generator ends: two streams alive at once on one zip let yauzl's
  // fd-slicer run a queued read after its stream was destroyed (a TypeError thrown from an fs callback, which
  // took the whole process down: found by the zip fuzzer).
  const reading = (async () => {
    try {
      for await (const chunk of open()) {
        if (stopped) break;
        // csv-parse builds an error (with a stack) for each ragged row it accepts: see withoutStackTraces.
        if (!withoutStackTraces(() => parser.write(decode(chunk))))
          await new Promise<void>((r) => (wake = r));
        if (stopped) break;
      }
      if (!stopped) withoutStackTraces(() => parser.end(decode()));
    } catch (err) {
      readFailure = err;
      parser.destroy(err as Error);
    }
  })();
  let rows = 0;
  try {
    for await (const row of parser) {
      if (++rows > limits.maxCsvRows)
        throw new ImportError({ code: 'too-large', file, detail: `over ${limits.maxCsvRows} rows` });
      if (info.invalid_field_length > limits.maxRaggedRows)
        throw new ImportError({
          code: 'damaged',
          file,
          detail: `over ${limits.maxRaggedRows} rows with a different number of cells`,
        });
      yield row as string[];
    }
  } catch (e) {
    const err = readFailure ?? e;
    if (err instanceof ImportError) throw err;
    throw new ImportError({ code: 'damaged', file, detail: message(err) });
  } finally {
    stopped = true;
    resume();
    parser.destroy();
    await reading;
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
