import type { PdfReading } from '#core/mail/types.ts';

/**
 * Reads an attached PDF's text and link targets. PDF parsing is heavy and hostile, so it runs outside the core
 * (in Node a worker thread with its own heap and a deadline; in a browser a Web Worker can do the same): the core
 * hands over the bytes and gets plain values back. Never rejects: a PDF it could not read is a `PdfReading` too.
 */
export type PdfReader = (bytes: Uint8Array) => Promise<PdfReading>;
