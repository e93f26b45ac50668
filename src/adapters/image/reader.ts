import type { ImageReader, ImageReading } from '#core/ports/image-reader.ts';
import type { Scoring } from '#core/knowledge/schema.ts';

type ImageLimits = Scoring['limits']['image'];
import { Ocr, type OcrOptions } from './ocr.ts';
import { nodePdf, type NodePdf } from '#adapters/pdf/node-pdf.ts';
import { decodePixels, pictureFormat, pictureSize } from './pixels.ts';
import { decodeQr } from './qr.ts';

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
  const readPdf = (options.pdf ?? ownPdf)!.pdfQr;
  const read = async (bytes: Uint8Array, want: Parameters<ImageReader>[1]): Promise<ImageReading> => {
    const { budget } = want;
    if (budget.spentMs >= limits.totalMsPerMail) return { ok: false, reason: 'budget' };
    const started = performance.now();
    try {
      if (bytes.length > limits.maxBytes)
        return { ok: false, reason: 'too-large', detail: `${bytes.length} bytes` };
      const format = pictureFormat(bytes);
      if (format === 'other' || format === 'gif') return { ok: false, reason: 'unsupported', detail: format };
      const size = pictureSize(bytes);
      if (!size) return { ok: false, reason: 'unreadable' };
      if (size.width * size.height > limits.maxPixels)
        return { ok: false, reason: 'too-large', detail: `${size.width}×${size.height}` };
      let qr: string[] = [];
      let partial: string | null = null;
      try {
        const pixels = decodePixels(bytes, limits.maxPixels);
        if (pixels) qr = decodeQr(pixels);
        // WebP: tesseract reads it, but no pure-JavaScript WebP decoder is installed for the QR pass.
        else partial = 'qr-unsupported';
      } catch (e) {
        if (!want.ocr)
          return { ok: false, reason: 'unreadable', detail: e instanceof Error ? e.message : String(e) };
      }
      let lines = null;
      if (want.ocr) {
        const left = limits.totalMsPerMail - budget.spentMs - (performance.now() - started);
        if (left <= 0) partial = 'budget';
        else {
          try {
            lines = await ocr.read(bytes, Math.min(limits.ocrTimeoutMs, left));
            if (lines === null) partial = 'ocr-timeout';
          } catch {
            partial = 'ocr-failed';
          }
        }
      }
      return { ok: true, width: size.width, height: size.height, lines, qr, partial };
    } finally {
      budget.spentMs += performance.now() - started;
    }
  };
  return Object.assign(read, {
    pdfQr: readPdf,
    close: async () => {
      await Promise.all([ocr.close(), ownPdf?.close()]);
    },
  });
}
