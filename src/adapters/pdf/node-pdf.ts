import type { PdfReader } from '#core/ports/pdf-reader.ts';
import { boundedWorker } from './bounded-worker.ts';
import { pdfReaders, type PdfLimits, type PdfQrLimits, type PdfReaders } from './pdf-readers.ts';

export type { PdfLimits, PdfQrLimits } from './pdf-readers.ts';
export type NodePdf = PdfReaders;

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

/**
 * Attached PDFs read in one bounded Node worker thread (pdf.js, started on the first PDF and kept, its own heap and
 * a deadline per part): text, links and the QR codes of the first pages' pictures in one pass (`pdfReaders`).
 */
export function nodePdf(limits: PdfLimits, qr: PdfQrLimits | null): NodePdf {
  return pdfReaders(boundedWorker(PDF_WORKER, { heapMb: limits.heapMb, from: import.meta.url }), limits, qr);
}

/** A `PdfReader` alone (text and links, no QR search), with `close`. */
export function workerPdfReader(limits: PdfLimits): PdfReader & { close(): Promise<void> } {
  const pdf = nodePdf(limits, null);
  return Object.assign(pdf.readPdf, { close: pdf.close });
}
