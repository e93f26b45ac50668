import { binaryString } from '#core/bytes.ts';
import { sniffFileKind } from '#core/file-kind.ts';
import type { MailAttachment } from '#core/mail/types.ts';
import { isInvisible } from '#core/text/normalize.ts';
import { MAX_HITS } from './shared.ts';
import type { Detector, DetectorRegistry, Hit } from './types.ts';

/**
 * A file name as the computer that opens it reads it: invisible characters (zero-width, bidi controls, the
 * grapheme joiner) dropped, and the trailing dots and spaces Windows ignores cut, so "invoice.ex\u200be" and
 * "invoice.exe." are programs.
 */
const openedName = (name: string) =>
  [...name]
    .filter((c) => !isInvisible(c))
    .join('')
    .replace(/[. ]+$/, '');
const extOf = (name: string) => (/\.([a-z0-9]{1,6})$/i.exec(openedName(name))?.[1] ?? '').toLowerCase();

/**
 * Shown with its hidden characters named, in every finding about an attachment: the evidence must show what the
 * reader cannot see, and a direction override left in a sentence would turn the rest of it around.
 */
const revealed = (name: string) =>
  [...name]
    .map((c) => (isInvisible(c) ? `<U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>` : c))
    .join('');

/**
 * An attachment whose name carries invisible characters or a direction override ("photo\u202Egpj.exe" shows as
 * "photoexe.jpg"): a name written to be read as something it is not. Ordinary names never have them (accents
 * written as combining marks, as macOS sends them, are letters, not this).
 */
const attachmentNameHidden: Detector<'attachment-name-hidden'> = (ctx) =>
  ctx.mail.attachments
    .filter((a) => [...a.filename].some(isInvisible))
    .slice(0, MAX_HITS)
    .map((a) => ({
      evidence: `${revealed(a.filename)} (${a.mimeType}, ${a.size} bytes)`,
      params: { name: revealed(a.filename), opened: openedName(a.filename) },
    }));

const attachmentExt: Detector<'attachment-ext'> = (ctx, p) =>
  ctx.mail.attachments
    .filter((a) => p.extensions.includes(extOf(a.filename)) || p.mimeTypes.includes(a.mimeType))
    .slice(0, MAX_HITS)
    .map((a) => ({
      evidence: `${revealed(a.filename) || '(no name)'} (${a.mimeType}, ${a.size} bytes)`,
      params: { name: revealed(a.filename), type: a.mimeType },
    }));

const attachmentHtml: Detector<'attachment-html'> = (ctx) => {
  const hits: Hit[] = [];
  for (const a of ctx.mail.attachments) {
    if (!a.content || !(/html/.test(a.mimeType) || /\.s?html?$|\.xhtml$/i.test(openedName(a.filename))))
      continue;
    const html = new TextDecoder('utf-8').decode(a.content);
    const form = /<form\b[^>]*?action\s*=\s*["']?([^"'\s>]*)/i.exec(html);
    const script = /<script\b|\bon(load|submit|click)\s*=|window\.location|document\.write|atob\(/i.exec(
      html,
    );
    const refresh = /http-equiv\s*=\s*["']?refresh/i.test(html);
    if (!form && !script && !refresh) continue;
    const what = [
      form ? `form → ${form[1] || '(same page)'}` : '',
      script ? 'script' : '',
      refresh ? 'redirect' : '',
    ]
      .filter(Boolean)
      .join(', ');
    hits.push({
      evidence: `${revealed(a.filename) || '(no name)'}: ${what}`,
      params: { name: revealed(a.filename), action: form?.[1] ?? '', what },
    });
  }
  return hits.slice(0, MAX_HITS);
};

// A link action's target as a PDF writes it: a literal string (with \-escapes, of any length) or a hex string.
const URI_ACTION = /\/URI\s*(?:\(((?:\\[\s\S]|[^\\)])*)\)|<([0-9a-fA-F\s]*)>)/g;

function pdfString(literal: string | undefined, hex: string | undefined): string {
  if (literal !== undefined)
    return literal.replace(/\\(?:([nrtbf])|([0-7]{1,3})|\r?\n|([\s\S]))/g, (_, c, oct, other) =>
      c
        ? ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' } as Record<string, string>)[c as string]!
        : oct
          ? String.fromCharCode(parseInt(oct as string, 8) & 0xff)
          : ((other as string | undefined) ?? ''),
    );
  const digits = (hex ?? '').replace(/\s/g, '');
  let out = '';
  for (let i = 0; i < digits.length; i += 2)
    out += String.fromCharCode(parseInt(digits.slice(i, i + 2).padEnd(2, '0'), 16));
  return out;
}

/** The link targets written in a PDF's raw bytes (without a reader: no text, and no compressed objects). */
function rawPdfLinks(content: Uint8Array): string[] {
  const text = binaryString(content.subarray(0, 2 * 1024 * 1024));
  return [...text.matchAll(URI_ACTION)].map((m) => pdfString(m[1], m[2]));
}

const isPdfNamed = (a: MailAttachment) => a.mimeType === 'application/pdf' || extOf(a.filename) === 'pdf';

/**
 * Why an attachment named or typed as PDF cannot be read as one, or null when it can (or was not kept, and so
 * cannot be told): no %PDF header (another file under a PDF name), or a header with no object to read.
 */
// Two rules ask about each PDF of a mail; its first 2 MB are searched once.
const pdfProblems = new WeakMap<MailAttachment, 'not-pdf' | 'unreadable' | null>();
function pdfProblem(a: MailAttachment): 'not-pdf' | 'unreadable' | null {
  if (!a.content) return null;
  let problem = pdfProblems.get(a);
  if (problem === undefined) {
    if (sniffFileKind(a.content) !== 'pdf') problem = a.content.length === 0 ? 'unreadable' : 'not-pdf';
    else problem = /\bobj\b/.test(binaryString(a.content.subarray(0, 2 * 1024 * 1024))) ? null : 'unreadable';
    pdfProblems.set(a, problem);
  }
  return problem;
}

/** A file under a PDF name that is not a PDF, or one with nothing readable in it. */
const attachmentPdfInvalid: Detector<'attachment-pdf-invalid'> = (ctx) => {
  const hits: Hit[] = [];
  for (const a of ctx.mail.attachments) {
    if (!isPdfNamed(a)) continue;
    const problem = pdfProblem(a);
    if (!problem) continue;
    hits.push({
      evidence: `${revealed(a.filename) || '(no name)'} (${a.mimeType}, ${a.size} bytes): ${problem}`,
      params: { name: revealed(a.filename), problem },
    });
  }
  return hits.slice(0, MAX_HITS);
};

/**
 * A PDF carries the message. Its links are listed: as the PDF reader (an adapter, before the check) read them, or
 * else from the file's raw bytes; what its text says goes through the text and link rules as `pdf:` evidence.
 */
const attachmentPdf: Detector<'attachment-pdf'> = (ctx) => {
  const hits: Hit[] = [];
  for (const a of ctx.mail.attachments) {
    if (!isPdfNamed(a) || pdfProblem(a)) continue;
    const all = a.pdf?.ok ? a.pdf.links : a.content ? rawPdfLinks(a.content) : [];
    const uris = [...new Set(all)].slice(0, 5);
    hits.push({
      evidence: `${revealed(a.filename) || '(no name)'}${uris.length ? ': ' + uris.map((u) => (u.length > 300 ? u.slice(0, 300) + '…' : u)).join(' , ') : ''}`,
      params: { name: revealed(a.filename), links: uris.length },
    });
  }
  return hits.slice(0, MAX_HITS);
};

/** What is attached: programs, archives, active HTML, PDFs. */
export const attachDetectors = {
  'attachment-ext': attachmentExt,
  'attachment-html': attachmentHtml,
  'attachment-name-hidden': attachmentNameHidden,
  'attachment-pdf': attachmentPdf,
  'attachment-pdf-invalid': attachmentPdfInvalid,
} satisfies Partial<DetectorRegistry>;
