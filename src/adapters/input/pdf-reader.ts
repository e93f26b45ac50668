import { Worker } from 'node:worker_threads';
import type { PdfReading } from '#core/mail/types.ts';
import type { PdfReader } from '#core/ports/pdf-reader.ts';

/** What reading attached PDFs needs from `data/scoring.yaml` `limits.pdf`. */
export interface PdfLimits {
  maxBytes: number;
  maxPages: number;
  maxTextChars: number;
  timeoutMs: number;
  heapMb: number;
}

// pdf.js (bundled in unpdf) runs in a worker with its own heap limit and a deadline: a PDF built to loop or to
// exhaust memory ends that worker, not mamori. Fonts are never evaluated as code (`isEvalSupported: false`) and
// nothing is rendered or fetched. Plain JavaScript (eval), so it runs the same from the bundle, tsx and the tests;
// the package is resolved from this module's location.
const PDF_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { getDocumentProxy } = require('node:module').createRequire(workerData.from)('unpdf');
parentPort.on('message', async ({ id, bytes, maxPages, maxTextChars }) => {
  let doc = null;
  try {
    doc = await getDocumentProxy(bytes, {
      isEvalSupported: false, disableFontFace: true, useSystemFonts: false, stopAtErrors: false,
      disableAutoFetch: true, disableStream: true, verbosity: 0,
    });
    const pages = doc.numPages;
    const text = [];
    const links = [];
    let chars = 0;
    let pagesRead = 0;
    for (let i = 1; i <= Math.min(pages, maxPages) && chars < maxTextChars; i++) {
      const page = await doc.getPage(i);
      const content = await page.getTextContent();
      let s = '';
      for (const it of content.items) if (typeof it.str === 'string') s += it.str + (it.hasEOL ? '\\n' : '');
      // A URL the layout broke after its scheme is one URL.
      s = s.replace(/:\\/\\/\\n/g, '://');
      text.push(s);
      chars += s.length;
      for (const a of await page.getAnnotations({ intent: 'display' }))
        for (const u of [a.url, a.unsafeUrl]) if (typeof u === 'string' && u && !links.includes(u)) links.push(u);
      page.cleanup();
      pagesRead = i;
    }
    const all = text.join('\\n');
    parentPort.postMessage({
      id, ok: true, text: all.slice(0, maxTextChars), links: links.slice(0, 1000), pages, pagesRead,
      textCapped: all.length > maxTextChars,
    });
  } catch (err) {
    parentPort.postMessage({ id, ok: false, reason: 'unreadable', detail: String((err && err.message) || err).slice(0, 200) });
  } finally {
    if (doc) await doc.destroy().catch(() => {});
  }
});
`;

/**
 * A `PdfReader` over one worker, started on the first PDF and kept for the next (starting pdf.js costs more than
 * reading a small PDF). PDFs are read one at a time; one that runs past the deadline or out of memory ends the
 * worker, and the next PDF gets a fresh one. The worker never keeps the process alive between PDFs.
 */
export function workerPdfReader(limits: PdfLimits): PdfReader & { close(): Promise<void> } {
  let worker: Worker | null = null;
  let nextId = 0;
  let queue: Promise<unknown> = Promise.resolve();
  const start = () => {
    const w = new Worker(PDF_WORKER, {
      eval: true,
      workerData: { from: import.meta.url },
      resourceLimits: { maxOldGenerationSizeMb: limits.heapMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
      stdout: true,
      stderr: true,
    });
    w.unref();
    return w;
  };
  const readOne = (bytes: Uint8Array): Promise<PdfReading> => {
    if (bytes.byteLength > limits.maxBytes) return Promise.resolve({ ok: false, reason: 'too-large' });
    const w = (worker ??= start());
    const id = nextId++;
    return new Promise<PdfReading>((resolve) => {
      const done = (r: PdfReading, stop: boolean) => {
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        w.unref();
        if (stop) {
          if (worker === w) worker = null;
          void w.terminate();
        }
        resolve(r);
      };
      const onMessage = (m: PdfReading & { id: number }) => {
        if (m.id !== id) return;
        const reading: Partial<typeof m> = { ...m };
        delete reading.id;
        done(reading as PdfReading, false);
      };
      const onError = (err: Error & { code?: string }) =>
        done(
          err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? { ok: false, reason: 'memory' }
            : { ok: false, reason: 'unreadable', detail: err.message.slice(0, 200) },
          true,
        );
      const onExit = (code: number) =>
        done({ ok: false, reason: 'unreadable', detail: `exit ${code}` }, true);
      const timer = setTimeout(() => done({ ok: false, reason: 'timeout' }, true), limits.timeoutMs);
      w.on('message', onMessage);
      w.once('error', onError);
      w.once('exit', onExit);
      w.ref();
      w.postMessage({ id, bytes, maxPages: limits.maxPages, maxTextChars: limits.maxTextChars });
    });
  };
  const read = (bytes: Uint8Array): Promise<PdfReading> => {
    const next = queue.then(() => readOne(bytes));
    queue = next.catch(() => undefined);
    return next;
  };
  return Object.assign(read, {
    /** Ends the worker once the PDFs asked for are read; resolves without waiting for its thread to stop. */
    async close() {
      await queue;
      const w = worker;
      worker = null;
      if (w) void w.terminate();
    },
  });
}
