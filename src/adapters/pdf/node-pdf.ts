import type { ImageBudget, ImageReading } from '#core/ports/image-reader.ts';
import type { PdfReading } from '#core/mail/types.ts';
import type { PdfReader } from '#core/ports/pdf-reader.ts';
import { boundedWorker, type WorkerEnd } from './bounded-worker.ts';

/** What reading attached PDFs needs from `data/scoring.yaml` `limits.pdf`. */
export interface PdfLimits {
  maxBytes: number;
  maxPages: number;
  maxTextChars: number;
  timeoutMs: number;
  heapMb: number;
}

/** What searching a PDF's pictures for QR codes needs from `data/scoring.yaml` `limits.image`. */
export interface PdfQrLimits {
  maxBytes: number;
  /** Pages searched (a "scan to verify" code stands on the first page or two). */
  maxPdfPages: number;
  maxPixels: number;
  /** The deadline of one PDF's QR search (`ocrTimeoutMs`, the deadline of one picture). */
  ocrTimeoutMs: number;
  totalMsPerMail: number;
}

// pdf.js (bundled in unpdf) runs in a worker with its own heap limit and a deadline: a PDF built to loop or to
// exhaust memory ends that worker, not mamori. Fonts are never evaluated as code (`isEvalSupported: false`) and
// nothing is rendered or fetched, and no picture over the pixel limit is decoded. The document is opened once for both parts of a job: its text and link targets
// (replied first, `part: 'text'`), then the QR codes in the pictures of its first pages (`part: 'qr'`), each part
// with its own deadline. Node 20 lacks ArrayBuffer#transferToFixedLength, which pdf.js uses when it decodes a
// picture: without it pdf.js silently skips every image, so the worker adds a copying version (Node 22+ has it).
const PDF_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
if (!ArrayBuffer.prototype.transferToFixedLength)
  ArrayBuffer.prototype.transferToFixedLength = function (n = this.byteLength) {
    const b = new ArrayBuffer(n);
    new Uint8Array(b).set(new Uint8Array(this, 0, Math.min(n, this.byteLength)));
    return b;
  };
const req = require('node:module').createRequire(workerData.from);
const { getDocumentProxy, extractImages } = req('unpdf');
let jsQR = null;
async function readText(doc, id, maxPages, maxTextChars) {
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
    id, part: 'text', ok: true, text: all.slice(0, maxTextChars), links: links.slice(0, 1000), pages, pagesRead,
    textCapped: all.length > maxTextChars,
  });
}
async function readQr(doc, id, maxPages, maxPixels) {
  if (!jsQR) {
    const m = req('jsqr');
    jsQR = typeof m === 'function' ? m : m.default;
  }
  const qr = [];
  const qrPages = [];
  const pages = Math.min(doc.numPages, maxPages);
  for (let p = 1; p <= pages; p++) {
    for (const img of await extractImages(doc, p)) {
      const n = img.width * img.height;
      // A QR code has 21 modules a side at least: a picture thinner than that (a rule, a banner strip) holds none.
      if (n > maxPixels || img.width < 21 || img.height < 21) continue;
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
  parentPort.postMessage({ id, part: 'qr', ok: true, width: 0, height: 0, lines: null, qr, qrPages,
    partial: doc.numPages > pages ? 'pdf-pages' : null });
}
parentPort.on('message', async ({ id, bytes, text, qr }) => {
  let doc = null;
  try {
    doc = await getDocumentProxy(bytes, {
      isEvalSupported: false, disableFontFace: true, useSystemFonts: false, stopAtErrors: false,
      disableAutoFetch: true, disableStream: true, verbosity: 0,
      // A picture over the QR search's pixel limit is skipped before it is decoded (decoding is the cost).
      maxImageSize: qr ? qr.maxPixels : 1,
    });
    if (text) await readText(doc, id, text.maxPages, text.maxTextChars);
    if (qr) await readQr(doc, id, qr.maxPages, qr.maxPixels);
  } catch (err) {
    parentPort.postMessage({ id, part: 'error', detail: String((err && err.message) || err).slice(0, 200) });
  } finally {
    if (doc) await doc.destroy().catch(() => {});
  }
});
`;

export interface NodePdf {
  /** The `PdfReader` port: an attached PDF's text and link targets. */
  readPdf: PdfReader;
  /** `ImageReader.pdfQr`: the QR codes in the pictures of a PDF's first pages, charged to the mail's budget. */
  pdfQr: (bytes: Uint8Array, budget: ImageBudget) => Promise<ImageReading>;
  close(): Promise<void>;
}

const unreadable = (detail: string) => ({ ok: false as const, reason: 'unreadable' as const, detail });

function pdfFailure(end: WorkerEnd): PdfReading {
  if (end.kind === 'timeout') return { ok: false, reason: 'timeout' };
  if (end.kind === 'memory') return { ok: false, reason: 'memory' };
  return unreadable(end.detail);
}

function qrFailure(end: WorkerEnd): ImageReading {
  if (end.kind === 'timeout') return { ok: false, reason: 'budget', detail: 'timeout' };
  return unreadable(end.kind === 'memory' ? 'memory' : end.detail);
}

interface QrDone {
  reading: ImageReading;
  ms: number;
}

/**
 * Attached PDFs read in one bounded worker (pdf.js, started on the first PDF and kept), one at a time. With `qr`
 * limits, reading a PDF's text also searches its first pages' pictures for QR codes in the same pass: the
 * document is parsed once, and the check's later `pdfQr` call for the same bytes takes that result (and its time,
 * against the mail's picture budget). Never rejects.
 */
export function nodePdf(limits: PdfLimits, qr: PdfQrLimits | null): NodePdf {
  const worker = boundedWorker(PDF_WORKER, { heapMb: limits.heapMb, from: import.meta.url });
  // The QR search begun with a PDF's text, by the bytes the check holds (the same array is given to `pdfQr`).
  const searched = new WeakMap<Uint8Array, Promise<QrDone>>();
  const qrJob = qr ? { maxPages: qr.maxPdfPages, maxPixels: qr.maxPixels } : null;

  const readPdf: PdfReader = (bytes) => {
    if (bytes.byteLength > limits.maxBytes) return Promise.resolve({ ok: false, reason: 'too-large' });
    const withQr = qr !== null && bytes.byteLength <= qr.maxBytes;
    let text: PdfReading | null = null;
    let qrDone: QrDone | null = null;
    let qrStarted = 0;
    let resolveText!: (r: PdfReading) => void;
    const textP = new Promise<PdfReading>((r) => (resolveText = r));
    const job = worker.run(
      {
        bytes,
        text: { maxPages: limits.maxPages, maxTextChars: limits.maxTextChars },
        qr: withQr ? qrJob : null,
      },
      limits.timeoutMs,
      (m, deadline) => {
        if (m.part === 'error') {
          const failed = unreadable(String(m.detail));
          text ??= failed;
          resolveText(text);
          qrDone = { reading: failed, ms: 0 };
          return true;
        }
        if (m.part === 'text') {
          const { id: _id, part: _part, ...reading } = m;
          text = reading as PdfReading;
          resolveText(text);
          if (!withQr) return true;
          qrStarted = performance.now();
          deadline(qr.ocrTimeoutMs);
          return false;
        }
        const { id: _id, part: _part, ...reading } = m;
        qrDone = { reading: reading as ImageReading, ms: performance.now() - qrStarted };
        return true;
      },
    );
    const ended = job.then((end) => {
      if (end && !text) resolveText((text = pdfFailure(end)));
      return end;
    });
    if (withQr)
      searched.set(
        bytes,
        ended.then(
          (end) =>
            qrDone ?? {
              reading:
                text && !text.ok ? unreadable(`pdf ${text.reason}`) : qrFailure(end ?? { kind: 'timeout' }),
              ms: qrStarted ? performance.now() - qrStarted : 0,
            },
        ),
      );
    return textP;
  };

  const pdfQr = async (bytes: Uint8Array, budget: ImageBudget): Promise<ImageReading> => {
    if (!qr) return { ok: false, reason: 'unsupported', detail: 'pdf' };
    const begun = searched.get(bytes);
    if (begun) {
      searched.delete(bytes);
      const done = await begun;
      budget.spentMs += done.ms;
      return done.reading;
    }
    if (bytes.byteLength > qr.maxBytes) return { ok: false, reason: 'too-large' };
    const left = qr.totalMsPerMail - budget.spentMs;
    if (left <= 0) return { ok: false, reason: 'budget' };
    const started = performance.now();
    let reading: ImageReading | null = null;
    try {
      const end = await worker.run({ bytes, text: null, qr: qrJob }, Math.min(qr.ocrTimeoutMs, left), (m) => {
        const { id: _id, part, ...rest } = m;
        reading = part === 'error' ? unreadable(String(rest.detail)) : (rest as ImageReading);
        return true;
      });
      return reading ?? qrFailure(end ?? { kind: 'timeout' });
    } finally {
      budget.spentMs += performance.now() - started;
    }
  };

  return { readPdf, pdfQr, close: () => worker.close() };
}

/** A `PdfReader` alone (text and links, no QR search), with `close`. */
export function workerPdfReader(limits: PdfLimits): PdfReader & { close(): Promise<void> } {
  const pdf = nodePdf(limits, null);
  return Object.assign(pdf.readPdf, { close: pdf.close });
}
