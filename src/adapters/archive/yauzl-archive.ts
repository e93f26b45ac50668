import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { Archive, ArchiveEntryInfo } from '#core/ports/archive.ts';
import type { ImportProblem } from '#core/ledger/types.ts';

/** A read failure as the ImportSource port reports it: a value with a problem, never a raw library error. */
export class ImportError extends Error {
  constructor(readonly problem: ImportProblem) {
    super(`${problem.code}: ${problem.file}${problem.detail ? ': ' + problem.detail : ''}`);
  }
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Opens a zip (a path, or bytes for a zip inside a zip) with yauzl: the directory is read, entry sizes are
 * validated while inflating (a zip whose sizes lie fails as `zip-corrupt`), and nothing is inflated until read.
 */
export function openZip(
  source: string | Uint8Array,
  label: string,
  limits: { maxEntries: number },
): Promise<Archive> {
  const opts = { lazyEntries: true, validateEntrySizes: true, autoClose: false } as const;
  const corrupt = (file: string, e?: unknown) =>
    new ImportError({ code: 'zip-corrupt', file, ...(e ? { detail: message(e) } : {}) });
  return new Promise((resolve, reject) => {
    const onOpen = (err: Error | null, zip?: yauzl.ZipFile) => {
      if (err || !zip) return reject(corrupt(label, err));
      let closed = false;
      const close = () => {
        if (!closed) {
          closed = true;
          zip.close();
        }
      };
      let listing: Promise<Map<string, yauzl.Entry>> | null = null;
      const list = () =>
        (listing ??= new Promise<Map<string, yauzl.Entry>>((res, rej) => {
          if (zip.entryCount > limits.maxEntries) {
            close();
            return rej(
              new ImportError({ code: 'zip-bomb', file: label, detail: `${zip.entryCount} entries` }),
            );
          }
          const out = new Map<string, yauzl.Entry>();
          zip.on('error', (e: Error) => rej(corrupt(label, e)));
          zip.on('entry', (e: yauzl.Entry) => {
            if (!/\/$/.test(e.fileName)) out.set(e.fileName, e);
            zip.readEntry();
          });
          zip.on('end', () => res(out));
          zip.readEntry();
        }));
      // Errors after listing (while an entry is read) must not become unhandled 'error' events.
      zip.on('error', () => {});
      resolve({
        label,
        async list(): Promise<ArchiveEntryInfo[]> {
          return [...(await list()).values()].map((e) => ({
            name: e.fileName,
            size: e.uncompressedSize,
            compressedSize: e.compressedSize,
          }));
        },
        async *read(name: string): AsyncIterable<Uint8Array> {
          const file = `${label}!${name}`;
          const entry = (await list()).get(name);
          if (!entry) throw new ImportError({ code: 'not-found', file });
          let stream: Readable;
          try {
            stream = await new Promise<Readable>((res, rej) =>
              zip.openReadStream(entry, (er, s) => (er || !s ? rej(er) : res(s))),
            );
          } catch (e) {
            throw corrupt(file, e);
          }
          try {
            for await (const c of stream) yield c as Uint8Array;
          } catch (e) {
            throw corrupt(file, e);
          } finally {
            stream.destroy();
          }
        },
        close,
      });
    };
    try {
      if (typeof source === 'string') yauzl.open(source, opts, onOpen);
      else yauzl.fromBuffer(Buffer.from(source.buffer, source.byteOffset, source.byteLength), opts, onOpen);
    } catch (e) {
      reject(corrupt(label, e));
    }
  });
}
