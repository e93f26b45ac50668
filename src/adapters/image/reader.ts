import type { ImageReader } from '#core/ports/image-reader.ts';
import { nodePdf, type NodePdf } from '#adapters/pdf/node-pdf.ts';
import { Ocr, type OcrOptions } from './ocr.ts';
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
export function nodeImageReader(
  limits: ImageLimits,
  options: OcrOptions & {
    /** The PDF reader the check also reads PDFs' text with: one pass over each PDF gives both. */
    pdf?: NodePdf;
  } = {},
): NodeImageReader {
  const ocr = new Ocr(options);
  const ownPdf = options.pdf
    ? null
    : nodePdf(
        {
          maxBytes: limits.maxBytes,
          maxPages: 0,
          maxTextChars: 0,
          timeoutMs: limits.ocrTimeoutMs,
          heapMb: 256,
        },
        limits,
      );
  const read = pictureReader(limits, {
    pixels: (bytes) => decodePixels(bytes, limits.maxPixels),
    qr: decodeQr,
    ocr: (bytes, timeoutMs) => ocr.read(bytes, timeoutMs),
  });
  return Object.assign(read, {
    pdfQr: (options.pdf ?? ownPdf)!.pdfQr,
    close: async () => {
      await Promise.all([ocr.close(), ownPdf?.close()]);
    },
  });
}
