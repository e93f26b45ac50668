import type { ImageReader, ImageReading, OcrLine } from '#core/ports/image-reader.ts';
import type { Scoring } from '#core/knowledge/schema.ts';
import { pictureFormat, pictureSize, type PictureFormat } from './header.ts';
import type { Pixels } from './pixels.ts';
import { contentCache } from '../content-cache.ts';

export type ImageLimits = Omit<Scoring['limits']['image'], 'remembered'> & { remembered?: number };

/** What a platform gives the shared reader: its pixel decoder and its OCR. */
export interface PicturePieces {
  /** RGBA pixels of a PNG, JPEG or WebP, or null when this platform cannot decode that format (QR then skipped). */
  pixels(bytes: Uint8Array, format: PictureFormat): Pixels | null | Promise<Pixels | null>;
  /** The QR codes' texts (`decodeQr`; the browser loads it with the first picture). */
  qr(pixels: Pixels): string[] | Promise<string[]>;
  /** The text line by line, or null when `timeoutMs` passed (the OCR engine is then ended). May reject. */
  ocr(bytes: Uint8Array, timeoutMs: number): Promise<OcrLine[] | null>;
}

/**
 * One picture read under `limits.image`, the same in Node and in the browser: bytes and pixel count refused from
 * the header before anything decodes, QR codes in both polarities, OCR within what is left of the time per picture
 * and of the mail's budget. Every refusal is a value; the time spent is charged to the budget.
 */
export function pictureReader(limits: ImageLimits, pieces: PicturePieces): ImageReader {
  // A picture seen before (a sender's logo is in each of its mails) is not decoded again: readings by content,
  // with or without OCR; one cut short (a deadline, the mail's budget) is read again next time.
  const remembered = limits.remembered ?? 0;
  const seen = contentCache<ImageReading>(remembered, (r) =>
    r.ok ? r.partial === null || r.partial === 'qr-unsupported' : r.reason !== 'budget',
  );
  return async (bytes, want) => {
    const { budget } = want;
    if (budget.spentMs >= limits.totalMsPerMail) return { ok: false, reason: 'budget' };
    const key = remembered > 0 ? `${await seen.keyOf(bytes)}:${want.ocr ? 'ocr' : 'qr'}` : null;
    const known = key !== null ? seen.get(key) : undefined;
    if (known) return known;
    const reading = await readOnce(bytes, want);
    if (key !== null) seen.set(key, reading);
    return reading;
  };

  async function readOnce(bytes: Uint8Array, want: Parameters<ImageReader>[1]): Promise<ImageReading> {
    const { budget } = want;
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
        const pixels = await pieces.pixels(bytes, format);
        if (pixels) qr = await pieces.qr(pixels);
        // Node has no pure-JavaScript WebP decoder for the QR pass (tesseract still reads the text).
        else partial = 'qr-unsupported';
      } catch (e) {
        if (!want.ocr)
          return { ok: false, reason: 'unreadable', detail: e instanceof Error ? e.message : String(e) };
      }
      let lines: OcrLine[] | null = null;
      if (want.ocr) {
        const left = limits.totalMsPerMail - budget.spentMs - (performance.now() - started);
        if (left <= 0) partial = 'budget';
        else {
          try {
            lines = await pieces.ocr(bytes, Math.min(limits.ocrTimeoutMs, left));
            if (lines === null) partial = 'ocr-timeout';
          } catch {
            partial = 'ocr-failed';
          }
        }
      }
      const reading: ImageReading = { ok: true, width: size.width, height: size.height, lines, qr, partial };
      return reading;
    } finally {
      budget.spentMs += performance.now() - started;
    }
  }
}

/** tesseract.js's result blocks as the port's lines: each line's words, confidence rounded (the same in Node and the page). */
export function tesseractLines(
  blocks:
    | readonly {
        paragraphs: readonly {
          lines: readonly { words: readonly { text: string; confidence: number }[] }[];
        }[];
      }[]
    | null
    | undefined,
): OcrLine[] {
  const lines: OcrLine[] = [];
  for (const b of blocks ?? [])
    for (const p of b.paragraphs)
      for (const l of p.lines)
        lines.push({ words: l.words.map((w) => ({ text: w.text, confidence: Math.round(w.confidence) })) });
  return lines;
}
