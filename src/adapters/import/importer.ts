import { createReadStream, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { parse as parseCsvStream } from 'csv-parse';
import yauzl from 'yauzl';
import type { Knowledge } from '#core/knowledge/compile.ts';
import type { StatementLayout } from '#core/knowledge/schema.ts';
import { amazonRowMapper, identifyAmazonFile } from '#core/ledger/amazon-export.ts';
import { parseStatement } from '#core/ledger/statements.ts';
import type { ImportProblem, Storefront } from '#core/ledger/types.ts';
import { detectCharset } from '#core/mail/decode.ts';
import type { RecordSink } from '#adapters/store/store.ts';

/** Limits against hostile archives: a zip bomb is refused before a byte is inflated. */
export const ZIP_LIMITS = {
  maxEntries: 20_000,
  maxEntryBytes: 1024 * 1024 * 1024,
  maxRatio: 200,
  maxNestedZipBytes: 512 * 1024 * 1024,
  maxStatementBytes: 64 * 1024 * 1024,
};

export interface FileReport {
  file: string;
  kind: string;
  rows: number;
  problems: ImportProblem[];
}

export class ImportError extends Error {
  constructor(readonly problem: ImportProblem) {
    super(`${problem.code}: ${problem.file}${problem.detail ? ': ' + problem.detail : ''}`);
  }
}

interface Entry {
  path: string;
  size: number;
  open(): Promise<Readable>;
  bytes(): Promise<Uint8Array>;
}

async function readAll(stream: Readable, cap: number, file: string): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of stream) {
    size += (c as Buffer).length;
    if (size > cap)
      throw new ImportError({ code: 'too-large', file, detail: `over ${Math.round(cap / 1e6)} MB` });
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

function zipEntries(source: string | Buffer, label: string): Promise<Entry[]> {
  const opts = { lazyEntries: true, validateEntrySizes: true, autoClose: false } as const;
  return new Promise((resolve, reject) => {
    const onOpen = (err: Error | null, zip?: yauzl.ZipFile) => {
      if (err || !zip)
        return reject(new ImportError({ code: 'zip-corrupt', file: label, detail: err?.message }));
      if (zip.entryCount > ZIP_LIMITS.maxEntries)
        return reject(
          new ImportError({ code: 'zip-bomb', file: label, detail: `${zip.entryCount} entries` }),
        );
      const out: Entry[] = [];
      zip.on('error', (e: Error) =>
        reject(new ImportError({ code: 'zip-corrupt', file: label, detail: e.message })),
      );
      zip.on('entry', (e: yauzl.Entry) => {
        if (!/\/$/.test(e.fileName)) {
          const ratio = e.compressedSize > 0 ? e.uncompressedSize / e.compressedSize : 0;
          if (
            e.uncompressedSize > ZIP_LIMITS.maxEntryBytes ||
            (ratio > ZIP_LIMITS.maxRatio && e.uncompressedSize > 10 * 1024 * 1024)
          ) {
            zip.close();
            return reject(
              new ImportError({
                code: 'zip-bomb',
                file: `${label}!${e.fileName}`,
                detail: `${e.uncompressedSize} bytes from ${e.compressedSize}`,
              }),
            );
          }
          const open = () =>
            new Promise<Readable>((res, rej) =>
              zip.openReadStream(e, (er, s) =>
                er || !s
                  ? rej(
                      new ImportError({
                        code: 'zip-corrupt',
                        file: `${label}!${e.fileName}`,
                        detail: er?.message,
                      }),
                    )
                  : res(s),
              ),
            );
          out.push({
            path: `${label}!${e.fileName}`,
            size: e.uncompressedSize,
            open,
            bytes: async () => readAll(await open(), ZIP_LIMITS.maxNestedZipBytes, `${label}!${e.fileName}`),
          });
        }
        zip.readEntry();
      });
      zip.on('end', () => resolve(out));
      zip.readEntry();
    };
    if (typeof source === 'string') yauzl.open(source, opts, onOpen);
    else yauzl.fromBuffer(source, opts, onOpen);
  });
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => !d.name.startsWith('.'))
    .flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)]));
}

/** Every file behind a path: a folder's files, a zip's entries (and one level of zips inside it), or the file. */
export async function listEntries(path: string): Promise<Entry[]> {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new ImportError({ code: 'not-found', file: path });
  }
  const fileEntry = (p: string): Entry => ({
    path: p,
    size: statSync(p).size,
    open: async () => createReadStream(p),
    bytes: async () => readFileSync(p),
  });
  const files = st.isDirectory() ? walk(path).map(fileEntry) : [fileEntry(path)];
  const out: Entry[] = [];
  for (const f of files) {
    const head = readHeadBytes(f);
    if (isZip(await head)) {
      for (const e of await zipEntries(f.path, f.path)) {
        if (/\.zip$/i.test(e.path)) out.push(...(await zipEntries(Buffer.from(await e.bytes()), e.path)));
        else out.push(e);
      }
    } else out.push(f);
  }
  return out;
}

async function readHeadBytes(e: Entry): Promise<Uint8Array> {
  const s = await e.open();
  for await (const c of s) {
    s.destroy();
    return c as Buffer;
  }
  return new Uint8Array(0);
}

const isZip = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b && (b[2] === 0x03 || b[2] === 0x05);

/** Streams a CSV entry row by row, decoding it in whatever charset its first bytes show. */
async function* csvRows(e: Entry): AsyncGenerator<string[]> {
  const head = await readHeadBytes(e);
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
  const input = await e.open();
  (async () => {
    try {
      for await (const chunk of input) parser.write(decoder.decode(chunk as Buffer, { stream: true }));
      parser.end(decoder.decode());
    } catch (err) {
      parser.destroy(err as Error);
    }
  })();
  for await (const row of parser) yield row as string[];
}

export interface ImportOptions {
  knowledge: Knowledge;
  mapping?: StatementLayout;
  storefront?: Storefront;
  onProgress?: (file: string, rows: number) => void;
}

const STATEMENT_EXT = new Set(['.csv', '.ofx', '.qfx', '.txt', '.tsv']);

/**
 * Imports one path (export zip or folder, Amazon CSV, card statement) into the sink. Throws ImportError for an
 * input that cannot be read at all (the caller's transaction then keeps nothing); row-level problems are reported.
 */
export async function importPath(path: string, sink: RecordSink, opts: ImportOptions): Promise<FileReport[]> {
  const reports: FileReport[] = [];
  const entries = await listEntries(path);
  const hint = opts.storefront ?? 'amazon-jp';
  for (const e of entries) {
    const ext = extname(e.path.split('!').pop() ?? '').toLowerCase();
    if (!STATEMENT_EXT.has(ext) && !(ext === '' && entries.length === 1)) continue;
    if (e.size === 0) {
      if (entries.length === 1) throw new ImportError({ code: 'empty', file: e.path });
      continue;
    }
    // Amazon CSVs can be large: read the header, then stream.
    let header: string[] | null = null;
    if (ext === '.csv') {
      for await (const row of csvRows(e)) {
        header = row;
        break;
      }
    }
    const kind = header ? identifyAmazonFile(e.path, header) : null;
    if (kind && header) {
      const map = amazonRowMapper(kind, header, e.path, hint, opts.knowledge.merchants);
      const report: FileReport = { file: e.path, kind, rows: 0, problems: [] };
      let rowNo = 0;
      for await (const row of csvRows(e)) {
        rowNo++;
        if (rowNo === 1) continue;
        const r = map(row, rowNo);
        if (r.problem) {
          if (report.problems.length < 50) report.problems.push(r.problem);
          continue;
        }
        for (const l of r.lines ?? []) sink.line(l);
        for (const p of r.payments ?? []) sink.payment(p);
        for (const x of r.refunds ?? []) sink.refund(x);
        report.rows++;
        if (report.rows % 5000 === 0) opts.onProgress?.(e.path, report.rows);
      }
      reports.push(report);
      continue;
    }
    if (entries.length > 1 && e.path.includes('!') && !/statement|明細|card|カード/i.test(basename(e.path)))
      continue; // other files of an Amazon export
    if (e.size > ZIP_LIMITS.maxStatementBytes) throw new ImportError({ code: 'too-large', file: e.path });
    const result = parseStatement(await e.bytes(), e.path, opts.knowledge.statements, opts.mapping);
    if (result.charges.length === 0 && result.problems[0]) {
      if (entries.length === 1) throw new ImportError(result.problems[0]);
      reports.push({ file: e.path, kind: 'unknown', rows: 0, problems: result.problems });
      continue;
    }
    for (const c of result.charges) sink.charge(c);
    reports.push({
      file: e.path,
      kind: `statement:${result.layout}`,
      rows: result.charges.length,
      problems: result.problems,
    });
  }
  if (reports.length === 0 || reports.every((r) => r.rows === 0)) {
    throw new ImportError(
      reports.flatMap((r) => r.problems)[0] ?? {
        code: 'no-rows',
        file: path,
        detail: 'no Amazon export or card statement found',
      },
    );
  }
  return reports;
}
