import type { CheckKnowledge } from '#core/knowledge/compile.ts';
import type { ImageReader } from '#core/ports/image-reader.ts';
import type { PdfReader } from '#core/ports/pdf-reader.ts';

export interface MailReaders {
  readPdf: PdfReader;
  readImage: ImageReader;
  /** Ends the workers (each started only when a mail needed it). */
  close(): Promise<void>;
}

/**
 * What reads the parts of a mail that are not text, for every command that checks mail (check, watch, case
 * add-mail), so each judges a mail the same way: attached PDFs in a bounded worker (their text, links and the QR
 * codes of their pictures in one pass), and pictures (QR codes; OCR in a worker for a screenshot or an image-only
 * mail). Nothing starts until a mail needs it, and nothing is even loaded: pdf.js's worker, jsQR, pngjs, jpeg-js
 * and tesseract.js come in with the first PDF or picture (a mail of text alone is checked without them, ≈40 ms
 * sooner).
 */
export function mailReaders(knowledge: CheckKnowledge): MailReaders {
  const limits = knowledge.scoring.limits;
  let loading: Promise<{ readPdf: PdfReader; readImage: ImageReader; close(): Promise<void> }> | null = null;
  const load = () =>
    (loading ??= (async () => {
      const [{ nodePdf }, { nodeImageReader }] = await Promise.all([
        import('#adapters/pdf/node-pdf.ts'),
        import('#adapters/image/reader.ts'),
      ]);
      const pdf = nodePdf(limits.pdf, limits.image);
      const image = nodeImageReader(limits.image, { pdf });
      return {
        readPdf: pdf.readPdf,
        readImage: image,
        close: async () => {
          await Promise.all([pdf.close(), image.close()]);
        },
      };
    })());
  const readImage: ImageReader = Object.assign(
    async (bytes: Uint8Array, want: Parameters<ImageReader>[1]) => (await load()).readImage(bytes, want),
    {
      pdfQr: async (bytes: Uint8Array, budget: Parameters<NonNullable<ImageReader['pdfQr']>>[1]) => {
        const { readImage: image } = await load();
        return image.pdfQr
          ? image.pdfQr(bytes, budget)
          : { ok: false as const, reason: 'unreadable' as const };
      },
    },
  );
  return {
    readPdf: async (bytes) => (await load()).readPdf(bytes),
    readImage,
    async close() {
      if (loading) await (await loading).close();
    },
  };
}
