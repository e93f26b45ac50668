import { nodeImageReader } from '#adapters/image/reader.ts';
import { nodePdf } from '#adapters/pdf/node-pdf.ts';
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
 * mail). Nothing starts until a mail needs it.
 */
export function mailReaders(knowledge: CheckKnowledge): MailReaders {
  const limits = knowledge.scoring.limits;
  const pdf = nodePdf(limits.pdf, limits.image);
  const readImage = nodeImageReader(limits.image, { pdf });
  return {
    readPdf: pdf.readPdf,
    readImage,
    async close() {
      await Promise.all([pdf.close(), readImage.close()]);
    },
  };
}
