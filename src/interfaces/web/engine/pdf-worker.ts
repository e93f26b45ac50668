/**
 * An attached PDF read in the page, in a Web Worker of its own (`job-runner.ts` ends it after a deadline): pdf.js
 * (unpdf) opens the document once; its text and link targets are replied first (`part: 'text'`), then the QR codes
 * of the pictures on its first pages (`part: 'qr'`), as the CLI's worker does (src/adapters/pdf/node-pdf.ts). Fonts
 * never run as code, nothing is rendered or fetched, and no picture over the pixel limit is decoded.
 */
import { extractImages, getDocumentProxy } from 'unpdf';
import { decodeQr } from '#adapters/image/qr.ts';

interface Job {
  id: number;
  bytes: Uint8Array;
  text: { maxPages: number; maxTextChars: number } | null;
  qr: { maxPages: number; maxPixels: number } | null;
}
type Doc = Awaited<ReturnType<typeof getDocumentProxy>>;

const post = (m: Record<string, unknown>) => self.postMessage(m);

async function readText(doc: Doc, id: number, maxPages: number, maxTextChars: number) {
  const text: string[] = [];
  const links: string[] = [];
  let chars = 0;
  let pagesRead = 0;
  for (let i = 1; i <= Math.min(doc.numPages, maxPages) && chars < maxTextChars; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent();
    let s = '';
    for (const it of content.items)
      if ('str' in it && typeof it.str === 'string') s += it.str + (it.hasEOL ? '\n' : '');
    // A URL the layout broke after its scheme is one URL.
    s = s.replace(/:\/\/\n/g, '://');
    text.push(s);
    chars += s.length;
    for (const a of (await page.getAnnotations({ intent: 'display' })) as {
      url?: unknown;
      unsafeUrl?: unknown;
    }[])
      for (const u of [a.url, a.unsafeUrl])
        if (typeof u === 'string' && u && !links.includes(u)) links.push(u);
    page.cleanup();
    pagesRead = i;
  }
  const all = text.join('\n');
  post({
    id,
    part: 'text',
    ok: true,
    text: all.slice(0, maxTextChars),
    links: links.slice(0, 1000),
    pages: doc.numPages,
    pagesRead,
    textCapped: all.length > maxTextChars,
  });
}

async function readQr(doc: Doc, id: number, maxPages: number, maxPixels: number) {
  const qr: string[] = [];
  const qrPages: number[] = [];
  const pages = Math.min(doc.numPages, maxPages);
  for (let p = 1; p <= pages; p++) {
    for (const img of await extractImages(doc, p)) {
      const n = img.width * img.height;
      // A QR code has 21 modules a side at least: a picture thinner than that holds none.
      if (n > maxPixels || img.width < 21 || img.height < 21) continue;
      let rgba = new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.byteLength);
      if (img.channels !== 4) {
        rgba = new Uint8ClampedArray(n * 4);
        for (let i = 0; i < n; i++) {
          for (let c = 0; c < 3; c++)
            rgba[i * 4 + c] = img.data[i * img.channels + (img.channels === 1 ? 0 : c)]!;
          rgba[i * 4 + 3] = 255;
        }
      }
      for (const code of decodeQr({ data: rgba, width: img.width, height: img.height }))
        if (!qr.includes(code)) {
          qr.push(code);
          qrPages.push(p);
        }
    }
  }
  post({
    id,
    part: 'qr',
    ok: true,
    width: 0,
    height: 0,
    lines: null,
    qr,
    qrPages,
    partial: doc.numPages > pages ? 'pdf-pages' : null,
  });
}

self.onmessage = async (e: MessageEvent<Job>) => {
  const { id, bytes, text, qr } = e.data;
  let doc: Doc | null = null;
  try {
    doc = await getDocumentProxy(bytes, {
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      stopAtErrors: false,
      disableAutoFetch: true,
      disableStream: true,
      verbosity: 0,
      maxImageSize: qr ? qr.maxPixels : 1,
      // Pictures as pixels (not ImageBitmaps, which a browser's pdf.js would make), so their QR codes can be read.
      isOffscreenCanvasSupported: false,
      isImageDecoderSupported: false,
    });
    if (text) await readText(doc, id, text.maxPages, text.maxTextChars);
    if (qr) await readQr(doc, id, qr.maxPages, qr.maxPixels);
  } catch (err) {
    post({ id, part: 'error', detail: String(err instanceof Error ? err.message : err).slice(0, 200) });
  } finally {
    if (doc) await doc.destroy().catch(() => {});
  }
};
