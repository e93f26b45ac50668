import type { ImageBudget, ImageReader, ImageReading } from '#core/ports/image-reader.ts';
import { Ocr, type OcrOptions } from './ocr.ts';
import { workerPdfQr } from './pdf-qr.ts';
import { decodePixels } from './pixels.ts';
import { decodeQr } from './qr.ts';
import { pictureReader, type ImageLimits } from './read-picture.ts';

export interface NodeImageReader extends ImageReader {
  /** Ends the OCR worker (if one was started). */
  close(): Promise<void>;
}

/**
 * The Node `ImageReader`: QR codes with jsQR over pngjs / jpeg-js pixels (pure JavaScript, in this thread: an
 * 800 × 600 picture takes tens of milliseconds), text with tesseract.js in its worker thread (offline models,
 * a deadline per picture). Limits from `data/scoring.yaml` `limits.image`; each refusal is a value, never a throw.
 */
export function nodeImageReader(limits: ImageLimits, options: OcrOptions = {}): NodeImageReader {
  const ocr = new Ocr(options);
  const pdfQr = workerPdfQr({ ...limits, timeoutMs: limits.ocrTimeoutMs, heapMb: 256 });
  const readPdf = async (bytes: Uint8Array, budget: ImageBudget): Promise<ImageReading> => {
    const left = limits.totalMsPerMail - budget.spentMs;
    if (left <= 0) return { ok: false, reason: 'budget' };
    const started = performance.now();
    try {
      return await pdfQr(bytes, Math.min(limits.ocrTimeoutMs, left));
    } finally {
      budget.spentMs += performance.now() - started;
    }
  };
  const read = pictureReader(limits, {
    pixels: (bytes) => decodePixels(bytes, limits.maxPixels),
    qr: decodeQr,
    ocr: (bytes, timeoutMs) => ocr.read(bytes, timeoutMs),
  });
  return Object.assign(read, {
    pdfQr: readPdf,
    close: async () => {
      await Promise.all([ocr.close(), pdfQr.close()]);
    },
  });
}
