import { binaryString } from '#core/bytes.ts';
import { sniffFileKind } from '#core/file-kind.ts';
import type { MailAttachment } from '#core/mail/types.ts';
import { MAX_HITS } from './shared.ts';
import type { Detector, DetectorRegistry, Hit } from './types.ts';

const extOf = (name: string) => (/\.([a-z0-9]{1,6})$/i.exec(name)?.[1] ?? '').toLowerCase();

const attachmentExt: Detector<'attachment-ext'> = (ctx, p) =>
  ctx.mail.attachments
    .filter((a) => p.extensions.includes(extOf(a.filename)) || p.mimeTypes.includes(a.mimeType))
    .slice(0, MAX_HITS)
    .map((a) => ({
      evidence: `${a.filename || '(no name)'} (${a.mimeType}, ${a.size} bytes)`,
      params: { name: a.filename, type: a.mimeType },
    }));

const attachmentHtml: Detector<'attachment-html'> = (ctx) => {
  const hits: Hit[] = [];
  for (const a of ctx.mail.attachments) {
    if (!a.content || !(/html/.test(a.mimeType) || /\.s?html?$|\.xhtml$/i.test(a.filename))) continue;
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
      evidence: `${a.filename || '(no name)'}: ${what}`,
      params: { name: a.filename, action: form?.[1] ?? '', what },
    });
  }
  return hits.slice(0, MAX_HITS);
};

const isPdfNamed = (a: MailAttachment) => a.mimeType === 'application/pdf' || extOf(a.filename) === 'pdf';

/**
 * Why an attachment named or typed as PDF cannot be read as one, or null when it can (or was not kept, and so
 * cannot be told): no %PDF header (another file under a PDF name), or a header with no object to read.
 */
function pdfProblem(a: MailAttachment): 'not-pdf' | 'unreadable' | null {
  if (!a.content) return null;
  if (sniffFileKind(a.content) !== 'pdf') return a.content.length === 0 ? 'unreadable' : 'not-pdf';
  return /\bobj\b/.test(binaryString(a.content.subarray(0, 2 * 1024 * 1024))) ? null : 'unreadable';
}

/** A file under a PDF name that is not a PDF, or one with nothing readable in it. */
const attachmentPdfInvalid: Detector<'attachment-pdf-invalid'> = (ctx) => {
  const hits: Hit[] = [];
  for (const a of ctx.mail.attachments) {
    if (!isPdfNamed(a)) continue;
    const problem = pdfProblem(a);
    if (!problem) continue;
    hits.push({
      evidence: `${a.filename || '(no name)'} (${a.mimeType}, ${a.size} bytes): ${problem}`,
      params: { name: a.filename, problem },
    });
  }
  return hits.slice(0, MAX_HITS);
};

/** A PDF carries the message; its link targets are read from the file without rendering it. */
const attachmentPdf: Detector<'attachment-pdf'> = (ctx) => {
  const hits: Hit[] = [];
  for (const a of ctx.mail.attachments) {
    if (!isPdfNamed(a) || pdfProblem(a)) continue;
    const text = a.content ? binaryString(a.content.subarray(0, 2 * 1024 * 1024)) : '';
    const uris = [...text.matchAll(/\/URI\s*\(([^)]{1,300})\)/g)].map((m) => m[1]!).slice(0, 5);
    hits.push({
      evidence: `${a.filename || '(no name)'}${uris.length ? ': ' + uris.join(' , ') : ''}`,
      params: { name: a.filename, links: uris.length },
    });
  }
  return hits.slice(0, MAX_HITS);
};

/** What is attached: programs, archives, active HTML, PDFs. */
export const attachDetectors = {
  'attachment-ext': attachmentExt,
  'attachment-html': attachmentHtml,
  'attachment-pdf': attachmentPdf,
  'attachment-pdf-invalid': attachmentPdfInvalid,
} satisfies Partial<DetectorRegistry>;
