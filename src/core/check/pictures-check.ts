import type { CheckKnowledge } from '#core/knowledge/compile.ts';
import { parseMail } from '#core/mail/parse.ts';
import type { MailAttachment, ParsedMail } from '#core/mail/types.ts';
import { buildContext, type CheckOptions } from './context.ts';
import { evaluate, type CheckOutcome } from './engine.ts';
import { readPicture, visibleChars } from './pictures.ts';

export { readMailPictures } from './pictures.ts';

/** A mail that may be image-only: pictures and (almost) no text. Only such a mail's pictures are read by OCR. */
export function mayBeImageOnly(mail: ParsedMail, knowledge: CheckKnowledge): boolean {
  if (!mail.attachments.some((a) => a.content && /^image\//i.test(a.mimeType))) return false;
  // A bounded, crude view of the HTML's text: tags and entities out (the check's own reading comes later).
  const htmlText = mail.html.slice(0, 200_000).replace(/<style[\s\S]*?<\/style>|<[^>]*>|&[a-z#0-9]+;/gi, '');
  return visibleChars(mail, htmlText) <= knowledge.scoring.limits.image.imageOnlyMaxChars;
}

/**
 * A screenshot or photo given as the input: its text read by OCR is checked as pasted text (an SMS or a mail
 * body), its QR codes as links found in it, and the result says it was read from a picture, with the URLs, phone
 * numbers and addresses as read for the person to compare. A URL or address with a character OCR is unsure of is
 * a note (`input.partial`), so such a picture is never called genuine on a misread domain.
 */
export async function checkPicture(
  raw: Uint8Array,
  knowledge: CheckKnowledge,
  options: CheckOptions,
): Promise<CheckOutcome> {
  const limits = knowledge.scoring.limits.image;
  const read = await readPicture(raw, options.readImage!, limits);
  if (!read.text.trim() && !read.qr.length)
    return {
      ok: false,
      problem: {
        code:
          read.partial === 'too-large'
            ? 'picture-too-large'
            : read.partial === 'unsupported'
              ? 'picture-unsupported'
              : 'picture-unreadable',
        reason: read.partial ?? 'no-text',
      },
    };
  const text = read.text.trim() ? read.text : read.qr.join('\n');
  const parsed = await parseMail(new TextEncoder().encode(text), knowledge.scoring.limits);
  if (!parsed.ok) return parsed;
  const mail = parsed.mail;
  mail.picture = read.picture;
  for (const r of read.picture.read)
    if (r.uncertain && r.kind !== 'phone')
      mail.notes.push({ code: 'ocr-uncertain', text: r.text, confidence: r.confidence });
  if (read.partial && read.partial !== 'qr-unsupported')
    mail.notes.push({ code: 'image-partial', name: 'image 1', reason: read.partial });
  if (read.qr.length) {
    const shot: MailAttachment = {
      filename: '',
      mimeType: 'image/*',
      size: raw.length,
      content: null,
      image: { ok: true, width: 0, height: 0, lines: null, qr: read.qr, partial: null },
    };
    mail.attachments.push(shot);
  }
  const result = evaluate(buildContext(mail, knowledge, options));
  return { ok: true, result: { ...result, picture: read.picture } };
}
