/** One word as OCR read it, with its confidence (0–100). */
export interface OcrWord {
  text: string;
  confidence: number;
}

/** One line of text as OCR read it, its words in order. */
export interface OcrLine {
  words: OcrWord[];
}

/**
 * What was read from one picture, or why it was not. Decoding and OCR run outside the core (a worker with a
 * deadline); the core sees only these values.
 */
export type ImageReading =
  | {
      ok: true;
      width: number;
      height: number;
      /** The text OCR read, line by line; null when OCR was not asked for or did not finish (`partial`). */
      lines: OcrLine[] | null;
      /** The texts of the QR codes found (both polarities), as encoded (never opened). */
      qr: string[];
      /** For a PDF: the page each QR code of `qr` was on (1-based). */
      qrPages?: number[];
      /** Why the picture was read only in part (`ocr-timeout`, `ocr-failed`, `budget`, `qr-unsupported`), or null. */
      partial: string | null;
    }
  | { ok: false; reason: 'too-large' | 'unsupported' | 'unreadable' | 'budget'; detail?: string };

/** What one mail (or one screenshot) may still spend; the adapter adds what it spent to `spentMs`. */
export interface ImageBudget {
  spentMs: number;
}

/**
 * Reads one picture: its QR codes always, its text (OCR) when `ocr` is set. Never rejects: a picture it could not
 * read is an `ImageReading` too. Limits (pixels, bytes, OCR time per image, the budget per mail) are the adapter's,
 * from `data/scoring.yaml` `limits.image`.
 */
export interface ImageReader {
  (bytes: Uint8Array, want: { ocr: boolean; budget: ImageBudget }): Promise<ImageReading>;
  /**
   * The QR codes of the pictures on a PDF's pages (`qrPages` says which page), when the adapter can read them;
   * `width`/`height` are 0 and `lines` null. Never rejects.
   */
  pdfQr?: (bytes: Uint8Array, budget: ImageBudget) => Promise<ImageReading>;
}
