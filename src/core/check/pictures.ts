import { sniffFileKind } from '#core/file-kind.ts';
import type { MailAttachment, ParsedMail, PictureSource } from '#core/mail/types.ts';
import type { ImageBudget, ImageReader, OcrLine, OcrWord } from '#core/ports/image-reader.ts';
import type { Scoring } from '#core/knowledge/schema.ts';

type ImageLimits = Scoring['limits']['image'];

const JA = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー々〆ヵヶ。、「」『』（）【】・！？：]/u;
const URLISH = /(?:https?:\/\/|www\.|[a-z0-9-]+\.[a-z]{2,}\/|@)[^\s]*$/i;

/**
 * One OCR line as text. OCR puts a space between Japanese characters ("お 客 様 の"); a space with Japanese on either
 * side is dropped, so the phrase lists and the brand claim read the words as written.
 */
export function joinWords(words: readonly OcrWord[]): string {
  let out = '';
  for (const w of words) {
    if (!w.text) continue;
    if (out && !(JA.test(out.at(-1)!) || JA.test(w.text[0]!))) out += ' ';
    out += w.text;
  }
  return out;
}

/**
 * The text of a picture. A line that ends inside a URL, an address or a phone number and a next line that goes on
 * with it are one line (a phone wraps a long URL anywhere: "https://amazon-c" / "o-jp.example.top/login"); Japanese
 * text wrapped at the edge is joined too. Other lines stay lines.
 */
export function pictureText(lines: readonly OcrLine[]): string {
  const texts = lines.map((l) => joinWords(l.words)).filter((t) => t.trim());
  // Only a line that reached the edge was wrapped: its width (a Japanese character counts two) near the widest's.
  const width = (t: string) => [...t].reduce((n, c) => n + (JA.test(c) ? 2 : 1), 0);
  const widest = Math.max(0, ...texts.map(width));
  const out: string[] = [];
  let last = '';
  for (const t of texts) {
    const prev = out.at(-1);
    const wrapped = width(last) >= widest * 0.75;
    last = t;
    if (prev !== undefined && wrapped) {
      const tail = prev.split(/\s/).at(-1) ?? '';
      // A capitalised word after a URL is a new sentence ("…/verify" / "If you did not…"), not more of the URL.
      const urlGoesOn =
        URLISH.test(tail) &&
        /^[a-z0-9./\-_?=&%#~:]/i.test(t) &&
        !/^[A-Z][a-z]/.test(t) &&
        !/[.,;:!?)]$/.test(tail);
      // A phone number broken after a dash ("050-" / "3184-2760") or inside its last part ("0120-958-3" / "14").
      const phoneGoesOn = /(?:^|[^\d:])(?:\+?\d+-)+\d*$/.test(tail) && /^\d/.test(t);
      const jaGoesOn = JA.test(prev.at(-1)!) && JA.test(t[0]!);
      // "… ht" / "tps://…": the scheme itself broken at the edge.
      const schemeGoesOn = /^h[a-z]{0,4}:?\/{0,2}$/i.test(tail) && /^https?:\/\//i.test(tail + t);
      if (urlGoesOn || phoneGoesOn || jaGoesOn || schemeGoesOn) {
        out[out.length - 1] = prev + t;
        continue;
      }
    }
    out.push(t);
  }
  return out.join('\n');
}

const READ_PATTERNS: [PictureSource['read'][number]['kind'], RegExp][] = [
  ['url', /(?:https?:\/\/|www\.)[^\s<>"'「」『』（）()【】、。]+/giu],
  ['email', /[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z0-9-]{2,}/giu],
  ['phone', /(?<![\d-])(?:\+81[\s-]?\d{1,4}|0\d{1,4})[\s-]?\d{1,4}[\s-]\d{3,4}(?![\d-])/gu],
];

/**
 * What the person must compare with the picture: each URL, address and phone number OCR read, with the lowest
 * confidence of the words it spans. A domain (or number) with a word under `minConfidence` is `uncertain`.
 */
export function readItems(lines: readonly OcrLine[], minConfidence: number): PictureSource['read'] {
  // Character offsets of each word in the joined text, to find the words an item spans.
  const words = lines.flatMap((l) => l.words);
  const text = pictureText(lines);
  const spans: { from: number; to: number; confidence: number }[] = [];
  let at = 0;
  for (const w of words) {
    if (!w.text) continue;
    const i = text.indexOf(w.text, at);
    if (i < 0) continue;
    spans.push({ from: i, to: i + w.text.length, confidence: w.confidence });
    at = i + w.text.length;
  }
  const out: PictureSource['read'] = [];
  const taken: [number, number][] = [];
  for (const [kind, re] of READ_PATTERNS) {
    for (const m of text.matchAll(re)) {
      const from = m.index;
      const to = from + m[0].length;
      if (taken.some(([a, b]) => from < b && to > a)) continue;
      taken.push([from, to]);
      const covered = spans.filter((s) => s.from < to && s.to > from);
      const confidence = covered.length ? Math.min(...covered.map((s) => s.confidence)) : 0;
      out.push({ kind, text: m[0].replace(/[.,]$/, ''), confidence, uncertain: confidence < minConfidence });
      if (out.length >= 20) return out;
    }
  }
  return out;
}

/** A picture given as the input, read: the text to check as pasted text, and what the person must compare. */
export interface ReadPicture {
  text: string;
  picture: PictureSource;
  qr: string[];
  /** Why it was read only in part (or not at all), for `input.partial`. */
  partial: string | null;
}

export async function readPicture(
  bytes: Uint8Array,
  readImage: ImageReader,
  limits: ImageLimits,
): Promise<ReadPicture> {
  const budget: ImageBudget = { spentMs: 0 };
  let reading;
  try {
    reading = await readImage(bytes, { ocr: true, budget });
  } catch (e) {
    reading = {
      ok: false as const,
      reason: 'unreadable' as const,
      detail: e instanceof Error ? e.message : String(e),
    };
  }
  if (!reading.ok) return { text: '', picture: { confidence: 0, read: [] }, qr: [], partial: reading.reason };
  const lines = reading.lines ?? [];
  const words = lines.flatMap((l) => l.words);
  const confidence = words.length
    ? Math.round(words.reduce((s, w) => s + w.confidence, 0) / words.length)
    : 0;
  return {
    text: pictureText(lines),
    picture: { confidence, read: readItems(lines, limits.minConfidence) },
    qr: reading.qr,
    partial: reading.partial,
  };
}

const isPicture = (a: MailAttachment) =>
  a.content !== null &&
  (/^image\//i.test(a.mimeType) || /\.(png|jpe?g|webp)$/i.test(a.filename)) &&
  sniffFileKind(a.content) === 'image';

/** How a picture of a mail is named in evidence: "image 2" (its place among the mail's pictures) and its file name. */
export const pictureName = (n: number, a: MailAttachment) =>
  `image ${n}${a.filename ? ` (${a.filename})` : ''}`;

/** The visible text of a mail, without its images: little or none means the pictures carry the message. */
export function visibleChars(mail: ParsedMail, htmlText: string): number {
  return (mail.text.trim() ? mail.text : htmlText).replace(/\s+/g, '').length;
}

/**
 * Each picture of a mail (attachments and inline images, up to `maxImagesPerMail`) read by the adapter before the
 * check: its QR codes always; its text too when the mail is image-only (`ocr`), so what the picture says is judged.
 * A picture not read, or read in part, is a note (`input.partial`): such a mail is never called genuine on the rest.
 */
export async function readMailPictures(
  mail: ParsedMail,
  readImage: ImageReader,
  limits: ImageLimits,
  ocr: boolean,
): Promise<void> {
  const budget: ImageBudget = { spentMs: 0 };
  // A PDF's page pictures are searched for QR codes too ("scan to verify" invoices), when the adapter can.
  if (readImage.pdfQr)
    for (const a of mail.attachments) {
      if (!a.content || sniffFileKind(a.content) !== 'pdf') continue;
      a.image = await readImage.pdfQr(a.content, budget).catch((e: unknown) => ({
        ok: false as const,
        reason: 'unreadable' as const,
        detail: e instanceof Error ? e.message : String(e),
      }));
      const name = a.filename || '(no name)';
      if (!a.image.ok) mail.notes.push({ code: 'image-partial', name, reason: a.image.reason });
      else if (a.image.partial) mail.notes.push({ code: 'image-partial', name, reason: a.image.partial });
    }
  const pictures = mail.attachments.filter(isPicture);
  for (const [i, a] of pictures.entries()) {
    const name = pictureName(i + 1, a);
    if (i >= limits.maxImagesPerMail) {
      mail.notes.push({ code: 'image-partial', name, reason: 'images-per-mail' });
      continue;
    }
    try {
      a.image = await readImage(a.content!, { ocr, budget });
    } catch (e) {
      a.image = { ok: false, reason: 'unreadable', detail: e instanceof Error ? e.message : String(e) };
    }
    if (!a.image.ok) mail.notes.push({ code: 'image-partial', name, reason: a.image.reason });
    else if (a.image.partial && a.image.partial !== 'qr-unsupported')
      mail.notes.push({ code: 'image-partial', name, reason: a.image.partial });
  }
}

/** The QR codes and OCR text of a mail's pictures, as read before the check, in the order of the pictures. */
export function mailPictures(mail: ParsedMail): { qr: { where: string; target: string }[]; text: string } {
  const qr: { where: string; target: string }[] = [];
  const texts: string[] = [];
  let n = 0;
  for (const a of mail.attachments) {
    if (!a.image) continue;
    const pdf = a.image.ok && a.image.qrPages !== undefined;
    if (!pdf) n++;
    if (!a.image.ok) continue;
    const pages = a.image.qrPages;
    a.image.qr.forEach((target, i) =>
      qr.push({ where: pages ? `${a.filename || 'PDF'} page ${pages[i] ?? 1}` : pictureName(n, a), target }),
    );
    if (a.image.lines) texts.push(pictureText(a.image.lines));
  }
  return { qr, text: texts.filter(Boolean).join('\n') };
}
