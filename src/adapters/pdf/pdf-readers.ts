import type { ImageBudget, ImageReading } from '#core/ports/image-reader.ts';
import type { PdfReading } from '#core/mail/types.ts';
import type { PdfReader } from '#core/ports/pdf-reader.ts';
import { contentCache } from '../content-cache.ts';

/** What reading attached PDFs needs from `data/scoring.yaml` `limits.pdf`. */
export interface PdfLimits {
  maxBytes: number;
  maxPages: number;
  maxTextChars: number;
  timeoutMs: number;
  heapMb: number;
  /** PDFs whose readings are remembered by content (`contentCache`); none when 0 or left out. */
  remembered?: number;
}

/** What searching a PDF's pictures for QR codes needs from `data/scoring.yaml` `limits.image`. */
export interface PdfQrLimits {
  maxBytes: number;
  /** Pages searched (a "scan to verify" code stands on the first page or two). */
  maxPdfPages: number;
  maxPixels: number;
  /** The deadline of one PDF's QR search (`ocrTimeoutMs`, the deadline of one picture). */
  ocrTimeoutMs: number;
  totalMsPerMail: number;
}

/** Why a job's worker was ended: its deadline passed, it ran out of its heap, or it failed or stopped. */
export type WorkerEnd = { kind: 'timeout' } | { kind: 'memory' } | { kind: 'crash'; detail: string };

/**
 * A job's replies, one at a time: return `true` when the job is finished. `deadline(ms)` restarts the job's clock
 * (a job in parts gives each part its own time).
 */
export type ReplyHandler = (reply: Record<string, unknown>, deadline: (ms: number) => void) => boolean;

/**
 * One worker for heavy, hostile work, one job at a time, each with a deadline (a Node worker thread with its own
 * heap in the CLI, a Web Worker in the page). The PDF job's messages: `{ id, bytes, text, qr }` in; replies
 * `{ id, part: 'text' | 'qr' | 'error', … }`.
 */
export interface JobRunner {
  /** Resolves when the job is finished (null) or when its worker had to be ended (why). Never rejects. */
  run(payload: Record<string, unknown>, timeoutMs: number, onReply: ReplyHandler): Promise<WorkerEnd | null>;
  close(): Promise<void>;
}

export interface PdfReaders {
  /** The `PdfReader` port: an attached PDF's text and link targets. */
  readPdf: PdfReader;
  /** `ImageReader.pdfQr`: the QR codes in the pictures of a PDF's first pages, charged to the mail's budget. */
  pdfQr: (bytes: Uint8Array, budget: ImageBudget) => Promise<ImageReading>;
  close(): Promise<void>;
}

const unreadable = (detail: string) => ({ ok: false as const, reason: 'unreadable' as const, detail });

function pdfFailure(end: WorkerEnd): PdfReading {
  if (end.kind === 'timeout') return { ok: false, reason: 'timeout' };
  if (end.kind === 'memory') return { ok: false, reason: 'memory' };
  return unreadable(end.detail);
}

function qrFailure(end: WorkerEnd): ImageReading {
  if (end.kind === 'timeout') return { ok: false, reason: 'budget', detail: 'timeout' };
  return unreadable(end.kind === 'memory' ? 'memory' : end.detail);
}

// A reading cut short by the machine (a deadline on a busy machine, the worker's heap) may come out whole next time:
// it is not remembered. A PDF that is broken is broken every time.
const wholeText = (r: PdfReading) => r.ok || r.reason === 'unreadable' || r.reason === 'too-large';
const wholeQr = (r: ImageReading) =>
  r.ok
    ? r.partial === null || r.partial === 'pdf-pages'
    : r.reason === 'unreadable' || r.reason === 'too-large';

interface QrDone {
  reading: ImageReading;
  ms: number;
}

/**
 * Attached PDFs read by a worker running pdf.js (one at a time). With `qr` limits, reading a PDF's text also
 * searches its first pages' pictures for QR codes in the same pass: the document is parsed once, and the check's
 * later `pdfQr` call for the same bytes takes that result (and its time, against the mail's picture budget).
 * Never rejects. The same in the CLI and in the page: only the worker differs.
 */
export function pdfReaders(worker: JobRunner, limits: PdfLimits, qr: PdfQrLimits | null): PdfReaders {
  // The QR search begun with a PDF's text, by the bytes the check holds (the same array is given to `pdfQr`).
  const searched = new WeakMap<Uint8Array, Promise<QrDone>>();
  const qrJob = qr ? { maxPages: qr.maxPdfPages, maxPixels: qr.maxPixels } : null;
  // What was read from a PDF, by its content: the same file in the next mail is not read again.
  const texts = contentCache<PdfReading>(limits.remembered ?? 0, wholeText);
  const codes = contentCache<ImageReading>(limits.remembered ?? 0, wholeQr);
  const remembering = (limits.remembered ?? 0) > 0;

  const readPdf: PdfReader = async (bytes) => {
    if (bytes.byteLength > limits.maxBytes) return { ok: false, reason: 'too-large' };
    const withQr = qr !== null && bytes.byteLength <= qr.maxBytes;
    const key = remembering ? await texts.keyOf(bytes) : null;
    if (key !== null) {
      const knownText = texts.get(key);
      const knownQr = withQr ? codes.get(key) : undefined;
      if (knownText && (!withQr || knownQr)) {
        if (knownQr) searched.set(bytes, Promise.resolve({ reading: knownQr, ms: 0 }));
        return knownText;
      }
    }
    let text: PdfReading | null = null;
    let qrDone: QrDone | null = null;
    let qrStarted = 0;
    let resolveText!: (r: PdfReading) => void;
    const textP = new Promise<PdfReading>((r) => (resolveText = r));
    const job = worker.run(
      {
        bytes,
        text: { maxPages: limits.maxPages, maxTextChars: limits.maxTextChars },
        qr: withQr ? qrJob : null,
      },
      limits.timeoutMs,
      (m, deadline) => {
        if (m.part === 'error') {
          const failed = unreadable(String(m.detail));
          text ??= failed;
          resolveText(text);
          qrDone = { reading: failed, ms: 0 };
          return true;
        }
        if (m.part === 'text') {
          const { id: _id, part: _part, ...reading } = m;
          text = reading as PdfReading;
          resolveText(text);
          if (!withQr) return true;
          qrStarted = performance.now();
          deadline(qr.ocrTimeoutMs);
          return false;
        }
        const { id: _id, part: _part, ...reading } = m;
        qrDone = { reading: reading as ImageReading, ms: performance.now() - qrStarted };
        return true;
      },
    );
    const ended = job.then((end) => {
      if (end && !text) resolveText((text = pdfFailure(end)));
      if (key !== null && text && (!withQr || qrDone)) {
        texts.set(key, text);
        if (qrDone) codes.set(key, qrDone.reading);
      }
      return end;
    });
    if (withQr)
      searched.set(
        bytes,
        ended.then(
          (end) =>
            qrDone ?? {
              reading:
                text && !text.ok ? unreadable(`pdf ${text.reason}`) : qrFailure(end ?? { kind: 'timeout' }),
              ms: qrStarted ? performance.now() - qrStarted : 0,
            },
        ),
      );
    return textP;
  };

  const pdfQr = async (bytes: Uint8Array, budget: ImageBudget): Promise<ImageReading> => {
    if (!qr) return { ok: false, reason: 'unsupported', detail: 'pdf' };
    const begun = searched.get(bytes);
    if (begun) {
      searched.delete(bytes);
      const done = await begun;
      budget.spentMs += done.ms;
      return done.reading;
    }
    if (bytes.byteLength > qr.maxBytes) return { ok: false, reason: 'too-large' };
    const key = remembering ? await codes.keyOf(bytes) : null;
    const known = key !== null ? codes.get(key) : undefined;
    if (known) return known;
    const left = qr.totalMsPerMail - budget.spentMs;
    if (left <= 0) return { ok: false, reason: 'budget' };
    const started = performance.now();
    let reading: ImageReading | null = null;
    try {
      const end = await worker.run({ bytes, text: null, qr: qrJob }, Math.min(qr.ocrTimeoutMs, left), (m) => {
        const { id: _id, part, ...rest } = m;
        reading = part === 'error' ? unreadable(String(rest.detail)) : (rest as ImageReading);
        return true;
      });
      const out: ImageReading = reading ?? qrFailure(end ?? { kind: 'timeout' });
      if (key !== null) codes.set(key, out);
      return out;
    } finally {
      budget.spentMs += performance.now() - started;
    }
  };

  return { readPdf, pdfQr, close: () => worker.close() };
}
