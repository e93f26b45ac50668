import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsvStream } from 'csv-parse';
import { ImportError, openZip } from '#adapters/archive/yauzl-archive.ts';
import { detectCharset } from '#core/mail/decode.ts';
import type { Archive } from '#core/ports/archive.ts';
import type { ImportEntry, ImportSource } from '#core/ports/import-source.ts';

export { ImportError } from '#adapters/archive/yauzl-archive.ts';

/** Limits against hostile archives: a zip bomb is refused before a byte is inflated. */
export const ZIP_LIMITS = {
  maxEntries: 20_000,
  maxEntryBytes: 1024 * 1024 * 1024,
  maxRatio: 200,
  maxNestedZipBytes: 512 * 1024 * 1024,
  maxStatementBytes: 64 * 1024 * 1024,
};

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
async function* csvRows(open: () => AsyncIterable<Uint8Array>, file: string): AsyncGenerator<string[]> {
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
  const decoder = new TextDecoder(label);
  const parser = parseCsvStream({
    relax_column_count: true,
    relax_quotes: true,
    bom: true,
    skip_empty_lines: true,
  });
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
  void (async () => {
    try {
      for await (const chunk of open()) {
        if (stopped) break;
        if (!parser.write(decoder.decode(chunk, { stream: true })))
          await new Promise<void>((r) => (wake = r));
        if (stopped) break;
      }
      if (!stopped) parser.end(decoder.decode());
    } catch (err) {
      readFailure = err;
      parser.destroy(err as Error);
    }
  })();
  try {
    for await (const row of parser) yield row as string[];
  } catch (e) {
    const err = readFailure ?? e;
    if (err instanceof ImportError) throw err;
    throw new ImportError({ code: 'damaged', file, detail: message(err) });
  } finally {
    parser.destroy();
  }
}

function entry(path: string, size: number, open: () => AsyncIterable<Uint8Array>): ImportEntry {
  return {
    path,
    size,
    rows: () => csvRows(open, path),
    bytes: (cap) => readAll(open(), cap, path),
  };
}

function walk(dir: string): string[] {
  let list;
  try {
    list = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw fsProblem(e, dir);
  }
  return list
    .filter((d) => !d.name.startsWith('.'))
    .flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)]));
}

const isZip = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b && (b[2] === 0x03 || b[2] === 0x05);

/** Every entry is checked against the limits before any is inflated. */
async function zipEntries(zip: Archive): Promise<{ info: { name: string; size: number }; e: ImportEntry }[]> {
  const list = await zip.list();
  for (const e of list) {
    const ratio = e.compressedSize > 0 ? e.size / e.compressedSize : 0;
    if (e.size > ZIP_LIMITS.maxEntryBytes || (ratio > ZIP_LIMITS.maxRatio && e.size > 10 * 1024 * 1024))
      throw new ImportError({
        code: 'zip-bomb',
        file: `${zip.label}!${e.name}`,
        detail: `${e.size} bytes from ${e.compressedSize}`,
      });
  }
  return list.map((info) => ({
    info,
    e: entry(`${zip.label}!${info.name}`, info.size, () => zip.read(info.name)),
  }));
}

/**
 * The ImportSource of one path: a folder's files, a zip's entries (and one level of zips inside it), or the file.
 * Every failure (missing file, permissions, corrupt deflate, lying sizes, unclosed quotes) is an ImportError.
 */
export function pathImportSource(path: string): ImportSource {
  const archives: Archive[] = [];
  const open = async (source: string | Uint8Array, label: string) => {
    const z = await openZip(source, label, ZIP_LIMITS);
    archives.push(z);
    return z;
  };
  return {
    label: path,
    async entries() {
      let st;
      try {
        st = statSync(path);
      } catch (e) {
        throw fsProblem(e, path);
      }
      const files = st.isDirectory() ? walk(path) : [path];
      const out: ImportEntry[] = [];
      for (const f of files) {
        let size: number;
        try {
          size = statSync(f).size;
        } catch (e) {
          throw fsProblem(e, f);
        }
        const file = entry(f, size, () => guarded(() => createReadStream(f), f));
        if (!isZip(await firstChunk(guarded(() => createReadStream(f, { end: 3 }), f)))) {
          out.push(file);
          continue;
        }
        for (const { info, e } of await zipEntries(await open(f, f))) {
          if (!/\.zip$/i.test(info.name)) {
            out.push(e);
            continue;
          }
          const inner = await open(await e.bytes(ZIP_LIMITS.maxNestedZipBytes), e.path);
          out.push(...(await zipEntries(inner)).map((x) => x.e));
        }
      }
      return out;
    },
    close() {
      for (const a of archives.splice(0)) a.close();
    },
  };
}
