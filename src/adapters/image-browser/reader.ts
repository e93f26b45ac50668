import type { ImageReader, OcrLine } from '#core/ports/image-reader.ts';
import { pictureReader, tesseractLines, type ImageLimits } from '#adapters/image/read-picture.ts';
import type { Pixels } from '#adapters/image/pixels.ts';
import type { Worker as TesseractWorker } from 'tesseract.js';

/**
 * Where the OCR files are, on the app's own origin (absolute URLs; the folder holds `entry.js`, which loads
 * tesseract.js's `worker.min.js`,
 * the core's `.js` + `.wasm` pairs and `jpn`/`eng` `.traineddata.gz`). Nothing is fetched from anywhere else.
 */
export interface OcrAssets {
  /** The folder, ending in `/`. */
  base: string;
  /** The core with SIMD and the one without (for a browser without WebAssembly SIMD). */
  core: { simd: string; plain: string };
}

export interface BrowserImageReaderOptions {
  /** Told when OCR is about to run (the page says 「画像の文字を読み取っています…」). */
  onOcr?: () => void;
}

export interface BrowserImageReader extends ImageReader {
  /** Ends the OCR worker (if one was started). */
  close(): Promise<void>;
}

// The few browser APIs used, typed by what this needs (the adapters are checked against Node's types, no DOM).
interface Bitmap {
  width: number;
  height: number;
  close(): void;
}
interface Canvas2d {
  drawImage(b: Bitmap, x: number, y: number): void;
  getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
}
interface BrowserGlobals {
  createImageBitmap?: (
    b: Blob,
    o?: { premultiplyAlpha?: 'none'; colorSpaceConversion?: 'none' },
  ) => Promise<Bitmap>;
  OffscreenCanvas?: new (
    w: number,
    h: number,
  ) => { getContext(kind: '2d', o?: { willReadFrequently: boolean }): Canvas2d | null };
}
const web = globalThis as unknown as BrowserGlobals;

/**
 * The browser's pixels: `createImageBitmap` decodes PNG, JPEG and WebP (so WebP gets its QR pass here too), an
 * `OffscreenCanvas` gives them as RGBA. Null where the browser lacks either (the QR pass is then skipped).
 */
async function browserPixels(bytes: Uint8Array): Promise<Pixels | null> {
  const { createImageBitmap, OffscreenCanvas } = web;
  if (!createImageBitmap || !OffscreenCanvas) return null;
  const copy = new Uint8Array(bytes);
  const bitmap = await createImageBitmap(new Blob([copy.buffer]), {
    premultiplyAlpha: 'none',
    colorSpaceConversion: 'none',
  });
  try {
    const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d', {
      willReadFrequently: true,
    });
    if (!ctx) return null;
    ctx.drawImage(bitmap, 0, 0);
    return {
      width: bitmap.width,
      height: bitmap.height,
      data: ctx.getImageData(0, 0, bitmap.width, bitmap.height).data,
    };
  } finally {
    bitmap.close();
  }
}

// wasm-feature-detect's SIMD probe (a module using one v128 instruction): tesseract.js picks its core the same way.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98,
  11,
]);

/**
 * One tesseract.js worker (Japanese + English, `best_int`), started on the first picture read by OCR: tesseract.js
 * itself is loaded then (its own chunk), so the app's first load does not grow. Its worker, core and models come from
 * `assets` (same origin, so `connect-src 'self'` and `worker-src 'self'` allow them); `cacheMethod: 'none'` keeps
 * the models out of IndexedDB (the service worker caches the files).
 */
class BrowserOcr {
  #worker: Promise<TesseractWorker> | null = null;
  constructor(private readonly assets: OcrAssets) {}

  async #start(): Promise<TesseractWorker> {
    const m = (await import('tesseract.js')) as unknown as {
      createWorker?: typeof import('tesseract.js').createWorker;
      default?: { createWorker: typeof import('tesseract.js').createWorker };
    };
    const createWorker = m.createWorker ?? m.default!.createWorker;
    const wasm = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;
    const core = wasm.validate(SIMD_PROBE) ? this.assets.core.simd : this.assets.core.plain;
    return createWorker(['jpn', 'eng'], 1, {
      // The app's entry: tesseract.js's worker with console silenced and fetch kept to this origin.
      workerPath: this.assets.base + 'entry.js',
      corePath: this.assets.base + core,
      langPath: this.assets.base.replace(/\/$/, ''),
      // A blob: worker would need `worker-src blob:`; the file on the app's origin needs only 'self'.
      workerBlobURL: false,
      cacheMethod: 'none',
      gzip: true,
      errorHandler: () => {},
    });
  }

  /** The picture's text line by line, or null after `timeoutMs` (the worker is then ended; the next call restarts it). */
  async read(bytes: Uint8Array, timeoutMs: number): Promise<OcrLine[] | null> {
    this.#worker ??= this.#start();
    const worker = this.#worker;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutMs);
    });
    try {
      let late = false;
      // A picture whose deadline passed while the worker was still starting is never handed to it.
      const job = worker.then((w) =>
        late
          ? null
          : w.recognize(new Uint8Array(bytes) as unknown as string, {}, { text: false, blocks: true }),
      );
      const r = await Promise.race([job, timeout]);
      if (r === null) {
        late = true;
        job.catch(() => {});
        await this.close();
        return null;
      }
      return tesseractLines(r.data.blocks);
    } catch (e) {
      // A worker that failed to start (a file missing, no WebAssembly) is not kept: the next picture tries again.
      await this.close();
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    const w = this.#worker;
    this.#worker = null;
    if (w) await w.then((x) => x.terminate()).catch(() => {});
  }
}

/**
 * The browser `ImageReader`, for the engine worker: QR codes with jsQR over `createImageBitmap` pixels (PNG, JPEG,
 * WebP), text with tesseract.js's browser build from files the app serves itself, under the same limits and the
 * same reading steps as the Node reader (`pictureReader`). `pdfQr` is left out (a mail's pictures and screenshots
 * are read; the pictures inside an attached PDF are not).
 */
export function browserImageReader(
  limits: ImageLimits,
  assets: OcrAssets,
  options: BrowserImageReaderOptions = {},
): BrowserImageReader {
  const ocr = new BrowserOcr(assets);
  const read = pictureReader(limits, {
    pixels: (bytes) => browserPixels(bytes),
    // jsQR (about 40 KB gzipped) is loaded with the first picture, so the app's first load does not carry it.
    qr: async (pixels) => (await import('#adapters/image/qr.ts')).decodeQr(pixels),
    ocr: (bytes, timeoutMs) => {
      options.onOcr?.();
      return ocr.read(bytes, timeoutMs);
    },
  });
  return Object.assign(read, { close: () => ocr.close() });
}
