import { Worker } from 'node:worker_threads';
import type { ImageReading } from '#core/ports/image-reader.ts';

export interface PdfQrLimits {
  maxBytes: number;
  /** Pages searched (a "scan to verify" code stands on the first page or two). */
  maxPdfPages: number;
  maxPixels: number;
  timeoutMs: number;
  heapMb: number;
}

// pdf.js (in unpdf) gives each page's pictures as pixels (nothing is rendered or fetched, fonts never run as
// code); jsQR searches each. Node 20 lacks ArrayBuffer#transferToFixedLength, which pdf.js uses when it decodes a
// picture: without it pdf.js silently skips every image, so the worker adds a copying version (Node 22+ has it).
const PDF_QR_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
if (!ArrayBuffer.prototype.transferToFixedLength)
  ArrayBuffer.prototype.transferToFixedLength = function (n = this.byteLength) {
    const b = new ArrayBuffer(n);
    new Uint8Array(b).set(new Uint8Array(this, 0, Math.min(n, this.byteLength)));
    return b;
  };
const req = require('node:module').createRequire(workerData.from);
const { getDocumentProxy, extractImages } = req('unpdf');
const jsqrModule = req('jsqr');
const jsQR = typeof jsqrModule === 'function' ? jsqrModule : jsqrModule.default;
parentPort.on('message', async ({ id, bytes, maxPages, maxPixels }) => {
  let doc = null;
  try {
    doc = await getDocumentProxy(bytes, {
      isEvalSupported: false, disableFontFace: true, useSystemFonts: false, stopAtErrors: false,
      disableAutoFetch: true, disableStream: true, verbosity: 0,
    });
    const qr = [];
    const qrPages = [];
    const pages = Math.min(doc.numPages, maxPages);
    for (let p = 1; p <= pages; p++) {
      for (const img of await extractImages(doc, p)) {
        const n = img.width * img.height;
        if (n > maxPixels || n < 21 * 21) continue;
        let rgba = img.data;
        if (img.channels !== 4) {
          rgba = new Uint8ClampedArray(n * 4);
          for (let i = 0; i < n; i++) {
            for (let c = 0; c < 3; c++) rgba[i * 4 + c] = img.data[i * img.channels + (img.channels === 1 ? 0 : c)];
            rgba[i * 4 + 3] = 255;
          }
        }
        const code = jsQR(rgba, img.width, img.height, { inversionAttempts: 'attemptBoth' });
        if (code && code.data && !qr.includes(code.data)) { qr.push(code.data); qrPages.push(p); }
      }
    }
    parentPort.postMessage({ id, ok: true, width: 0, height: 0, lines: null, qr, qrPages,
      partial: doc.numPages > pages ? 'pdf-pages' : null });
  } catch (err) {
    parentPort.postMessage({ id, ok: false, reason: 'unreadable', detail: String((err && err.message) || err).slice(0, 200) });
  } finally {
    if (doc) await doc.destroy().catch(() => {});
  }
});
`;

/**
 * QR codes on a PDF's pages, read in one reused worker with its own heap and a deadline (a hostile PDF ends the
 * worker, not mamori); one PDF at a time. Never rejects.
 */
export function workerPdfQr(limits: PdfQrLimits) {
  let worker: Worker | null = null;
  let nextId = 0;
  let queue: Promise<unknown> = Promise.resolve();
  const start = () => {
    const w = new Worker(PDF_QR_WORKER, {
      eval: true,
      workerData: { from: import.meta.url },
      resourceLimits: { maxOldGenerationSizeMb: limits.heapMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
      stdout: true,
      stderr: true,
    });
    w.unref();
    return w;
  };
  const readOne = (bytes: Uint8Array, timeoutMs: number): Promise<ImageReading> => {
    if (bytes.byteLength > limits.maxBytes) return Promise.resolve({ ok: false, reason: 'too-large' });
    const w = (worker ??= start());
    const id = nextId++;
    return new Promise<ImageReading>((resolve) => {
      const done = (r: ImageReading, stop: boolean) => {
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
      const onMessage = (m: ImageReading & { id: number }) => {
        if (m.id !== id) return;
        const { id: _id, ...reading } = m;
        void _id;
        done(reading as ImageReading, false);
      };
      const onError = (err: Error) =>
        done({ ok: false, reason: 'unreadable', detail: err.message.slice(0, 200) }, true);
      const onExit = (code: number) =>
        done({ ok: false, reason: 'unreadable', detail: `exit ${code}` }, true);
      const timer = setTimeout(
        () => done({ ok: false, reason: 'budget', detail: 'timeout' }, true),
        timeoutMs,
      );
      w.on('message', onMessage);
      w.once('error', onError);
      w.once('exit', onExit);
      w.ref();
      w.postMessage({ id, bytes, maxPages: limits.maxPdfPages, maxPixels: limits.maxPixels });
    });
  };
  const read = (bytes: Uint8Array, timeoutMs: number): Promise<ImageReading> => {
    const next = queue.then(() => readOne(bytes, timeoutMs));
    queue = next.catch(() => undefined);
    return next;
  };
  return Object.assign(read, {
    async close() {
      await queue;
      const w = worker;
      worker = null;
      if (w) void w.terminate();
    },
  });
}
