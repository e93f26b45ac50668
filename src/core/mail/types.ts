import type { FileKind } from '#core/file-kind.ts';
import type { ImageReading } from '#core/ports/image-reader.ts';
export interface Mailbox {
  name: string;
  address: string;
  /** Written as text in the field (a display name, a second `<…>`) rather than parsed as its address. */
  inName?: true;
}

export interface HeaderField {
  /** Lower-case name. */
  key: string;
  /** Unfolded value as it stands in the message (encoded words not decoded). */
  value: string;
}

export interface MailAttachment {
  filename: string;
  mimeType: string;
  size: number;
  /** Kept only for kinds a rule inspects (HTML, PDF) and only up to a cap; otherwise null. */
  content: Uint8Array | null;
  /** A PDF's text and link targets, read by an adapter (`PdfReader`) before the check; absent when none ran. */
  pdf?: PdfReading;
  /** Referenced from the HTML body (a Content-ID): shown in the mail, not a separate file. */
  inline?: true;
  /** A picture's QR codes (and OCR text), read by an `ImageReader` before the check; absent when none ran. */
  image?: ImageReading;
}

/**
 * What was read from an attached PDF, or why it was not. Read outside the core (a bounded worker), so the core
 * only ever sees these values.
 */
export type PdfReading =
  | {
      ok: true;
      text: string;
      /** Link targets of the PDF's link annotations, as written (never fetched). */
      links: string[];
      pages: number;
      /** Fewer than `pages` when the page limit was reached; `textCapped` when the text limit was. */
      pagesRead: number;
      textCapped: boolean;
    }
  | { ok: false; reason: 'too-large' | 'timeout' | 'memory' | 'unreadable'; detail?: string };

/** Why a message was read only in part. Each is reported as an `input.*` finding. */
export type ParseNote =
  | { code: 'truncated'; limitBytes: number; sizeBytes: number }
  | { code: 'too-deep'; limit: number }
  | { code: 'too-many-parts'; limit: number }
  | { code: 'text-capped'; limitChars: number }
  | { code: 'charset-repaired'; from: string; to: string }
  | { code: 'links-capped'; limit: number }
  | { code: 'mime-error'; message: string }
  | { code: 'header-line-capped'; limitBytes: number; lines: number }
  | { code: 'headers-capped'; limitBytes: number; dropped: number }
  | { code: 'encoded-words-capped'; limit: number; fields: number }
  | { code: 'boundaries-capped'; limit: number }
  | { code: 'part-body-capped'; limitBytes: number; parts: number }
  | { code: 'body-lines-capped'; limit: number }
  | { code: 'html-depth-capped'; limit: number; dropped: number }
  | { code: 'html-nodes-capped'; limit: number }
  /** An attached PDF was read only in part (`pages`, `text`) or not at all (the reader's reason). */
  | { code: 'pdf-partial'; name: string; reason: string }
  /** A picture was read only in part or not at all (`reason`: the limit or failure; `name`: which picture). */
  | { code: 'image-partial'; name: string; reason: string }
  /** OCR read a URL, phone number or address with a character it is unsure of: compare it with the picture. */
  | { code: 'ocr-uncertain'; text: string; confidence: number };

export interface ParsedMail {
  /** True for pasted text without a header block: only content and links can be judged. */
  headerless: boolean;
  headers: HeaderField[];
  from: Mailbox | null;
  /**
   * Every address the From field holds (see `readAddressField`): `from` first when it has one, the others a reader
   * may show, then those written in a display name.
   */
  fromAll: Mailbox[];
  /** Every display name of the From field (the claim reads them all; `from.name` is the primary one's). */
  fromNames: string[];
  sender: Mailbox | null;
  replyTo: Mailbox[];
  returnPath: string | null;
  subject: string;
  /** Raw Date header value. */
  date: string | null;
  text: string;
  html: string;
  attachments: MailAttachment[];
  notes: ParseNote[];
  /** The input was a picture (a screenshot or photo): `text` is what OCR read from it (`checkPicture`). */
  picture?: PictureSource;
}

/** What OCR read from a picture given as the input, for the person to compare with the picture. */
export interface PictureSource {
  /** Mean word confidence, 0–100. */
  confidence: number;
  /** URLs, phone numbers and addresses as read, each with the lowest confidence of the words it spans. */
  read: { kind: 'url' | 'phone' | 'email'; text: string; confidence: number; uncertain: boolean }[];
}

/** An input that is not a mail at all: these are reported as a message, not a verdict. */
export type MailProblem =
  | { code: 'empty' }
  | { code: 'binary'; sample: string; kind?: FileKind }
  | { code: 'unreadable'; message: string }
  /** A picture given as the input in which nothing could be read (`reason`: what the reader said). */
  | { code: 'picture-unreadable' | 'picture-too-large' | 'picture-unsupported'; reason: string };

export type ParseResult = { ok: true; mail: ParsedMail } | { ok: false; problem: MailProblem };
