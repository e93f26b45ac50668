import PostalMime from 'postal-mime';
import type { Email } from 'postal-mime';
import { asciiSearchText, binaryString } from '#core/bytes.ts';
import { sniffFileKind } from '#core/file-kind.ts';
import { readAddressField } from './address.ts';
import { decodeHeaderWords, decodeUnknown, garbledShare, looksMisdecodedJapanese } from './decode.ts';
import { CHINESE_CHARSET_PARAM, CHINESE_LABEL } from './charsets.ts';
import { boundHtml, type HtmlLimits } from './html.ts';
import { boundMessage, type RawLimits } from './limits.ts';
import { rawHeaderFields, rawTextLeaves } from './raw-mime.ts';
import type { MailAttachment, ParseNote, ParseResult, ParsedMail } from './types.ts';

export interface ParseLimits extends RawLimits, HtmlLimits {
  maxMessageBytes: number;
  maxTextChars: number;
}

const KNOWN_HEADERS =
  /^(from|to|subject|date|received|return-path|message-id|mime-version|content-type|delivered-to|reply-to|x-[a-z0-9-]+|authentication-results|dkim-signature|arc-[a-z-]+|sender|cc|envelope-to|x-original-to)$/i;
/** Content kept in memory for inspection: HTML (forms, scripts) and PDF (links, text), each up to this size. */
const KEEP_CONTENT_BYTES = 5 * 1024 * 1024;

/**
 * True when the input starts with a header block (at least two header fields, one of them a known one). Only the
 * start of each line is read, so a header line of any length (padding) is still one header line.
 */
export function looksLikeHeaders(raw: Uint8Array): boolean {
  let fields = 0;
  let known = 0;
  let pos = 0;
  for (let n = 0; n < 200 && pos < raw.length; n++) {
    let nl = raw.indexOf(0x0a, pos);
    if (nl < 0) nl = raw.length;
    const line = binaryString(raw.subarray(pos, Math.min(nl, pos + 256))).replace(/\r$/, '');
    pos = nl + 1;
    if (line === '') break;
    if (/^[ \t]/.test(line)) continue;
    if (/^From \S/.test(line) && fields === 0) continue; // mbox separator line
    const m = /^([!-9;-~]+):/.exec(line);
    if (!m) return false;
    fields++;
    if (KNOWN_HEADERS.test(m[1]!)) known++;
    if (fields >= 12 && known >= 1) return true;
  }
  return fields >= 2 && known >= 1;
}

function binarySample(raw: Uint8Array): string | null {
  const n = Math.min(raw.length, 4096);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = raw[i]!;
    if (b === 0 || b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) control++;
  }
  if (n > 0 && control / n > 0.05) {
    return Array.from(raw.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  }
  return null;
}

function bytesOf(content: Uint8Array['buffer'] | Uint8Array | string): Uint8Array {
  if (typeof content === 'string') return new TextEncoder().encode(content);
  return content instanceof Uint8Array ? content : new Uint8Array(content);
}

function keepContent(mimeType: string, filename: string): boolean {
  // Pictures too: their QR codes (and, for an image-only mail, their text) are read before the check; RTF
  // documents (also under a .doc name) for their text and links.
  return (
    /html|pdf|htm|rtf|msword|^image\/(png|jpe?g|webp)$/i.test(mimeType) ||
    /\.(html?|shtml|xhtml|pdf|rtf|doc|png|jpe?g|webp)$/i.test(filename)
  );
}

function capText(s: string, max: number, notes: ParseNote[]): string {
  if (s.length <= max) return s;
  notes.push({ code: 'text-capped', limitChars: max });
  return s.slice(0, max);
}

function headerless(raw: Uint8Array, limits: ParseLimits): ParsedMail {
  const notes: ParseNote[] = [];
  const { text } = decodeUnknown(raw);
  return {
    headerless: true,
    headers: [],
    from: null,
    fromAll: [],
    fromNames: [],
    sender: null,
    replyTo: [],
    returnPath: null,
    subject: '',
    date: null,
    text: capText(text.replace(/^\uFEFF/, ''), limits.maxTextChars, notes),
    html: /<(a|html|body|div|table)\b/i.test(text) ? text.slice(0, limits.maxTextChars) : '',
    attachments: [],
    notes,
  };
}

/** Repairs subject, sender name and bodies when their charset label was wrong or missing. */
function repairCharsets(raw: Uint8Array, mail: ParsedMail, limits: ParseLimits): void {
  if (garbledShare(mail.subject) > 0 || garbledShare(mail.from?.name ?? '') > 0) {
    const fields = rawHeaderFields(raw);
    const subject = fields.get('subject');
    if (subject !== undefined) mail.subject = decodeHeaderWords(subject).trim();
    const from = fields.get('from');
    if (from !== undefined) setFrom(mail, from);
    mail.notes.push({ code: 'charset-repaired', from: 'headers', to: 'detected' });
  }
  const suspect = (s: string) => garbledShare(s) > 0.001 || looksMisdecodedJapanese(s);
  const chineseLabel = CHINESE_CHARSET_PARAM.test(asciiSearchText(raw.subarray(0, 1 << 20)));
  if (suspect(mail.text) || suspect(mail.html) || chineseLabel) {
    const leaves = rawTextLeaves(
      raw,
      limits.maxParts,
      limits.maxNestingDepth,
      undefined,
      limits.maxTextChars * 4,
    );
    const text = leaves
      .filter((l) => l.contentType === 'text/plain')
      .map((l) => l.text)
      .join('\n');
    const html = leaves
      .filter((l) => l.contentType === 'text/html')
      .map((l) => l.text)
      .join('\n');
    const relabelled = leaves.some((l) => l.relabelledFrom !== null && CHINESE_LABEL.test(l.relabelledFrom));
    const better = (next: string, prev: string) =>
      next !== '' &&
      next !== prev &&
      (garbledShare(next) < garbledShare(prev) ||
        (looksMisdecodedJapanese(prev) && !looksMisdecodedJapanese(next)) ||
        relabelled);
    let repaired = false;
    if (better(text, mail.text)) {
      mail.text = capText(text, limits.maxTextChars, mail.notes);
      repaired = true;
    }
    if (better(html, mail.html)) {
      mail.html = capText(html, limits.maxTextChars, mail.notes);
      repaired = true;
    }
    const changed = leaves.find((l) => l.relabelledFrom !== null);
    if (repaired)
      mail.notes.push({
        code: 'charset-repaired',
        from: changed?.relabelledFrom ?? 'none',
        to: changed?.charset ?? leaves[0]?.charset ?? 'detected',
      });
  }
}

/**
 * Parses one message. Never throws for bad input: an input that is not a mail is a problem value, and a mail
 * read only in part carries notes saying which limit was hit.
 */
export async function parseMail(input: Uint8Array, limits: ParseLimits): Promise<ParseResult> {
  const firstNonSpace = input.findIndex((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  if (input.length === 0 || firstNonSpace < 0) return { ok: false, problem: { code: 'empty' } };
  // A PDF or a picture is said as such (and a PDF, mostly ASCII, is never read as pasted text).
  const kind = sniffFileKind(input);
  const sample = binarySample(input);
  if (kind || sample)
    return { ok: false, problem: { code: 'binary', sample: sample ?? '', ...(kind ? { kind } : {}) } };

  const notes: ParseNote[] = [];
  let raw = input;
  if (raw.length > limits.maxMessageBytes) {
    notes.push({ code: 'truncated', limitBytes: limits.maxMessageBytes, sizeBytes: raw.length });
    raw = raw.subarray(0, limits.maxMessageBytes);
  }
  if (!looksLikeHeaders(raw)) {
    const mail = headerless(raw, limits);
    mail.notes.unshift(...notes);
    return { ok: true, mail: boundBodies(mail, limits) };
  }
  const bounded = boundMessage(raw, limits);
  raw = bounded.raw;
  notes.push(...bounded.notes);
  const mail = await parseBounded(raw, limits, notes, bounded.headerBytes);
  return { ok: true, mail: boundBodies(mail, limits) };
}

/** HTML is bounded once, whichever way it was read (parsed, repaired, fallback, pasted). */
function boundBodies(mail: ParsedMail, limits: ParseLimits): ParsedMail {
  if (!mail.html) return mail;
  const { html, notes } = boundHtml(mail.html, limits);
  mail.html = html;
  mail.notes.push(...notes);
  return mail;
}

async function parseBounded(
  raw: Uint8Array,
  limits: ParseLimits,
  notes: ParseNote[],
  headerBytes: number,
): Promise<ParsedMail> {
  let email: Email;
  try {
    email = await PostalMime.parse(raw, {
      maxNestingDepth: limits.maxNestingDepth,
      // The header blocks were bounded already (fields kept past the budget are the short essential ones):
      // postal-mime is given room for what was kept, so it does not give up on the whole message.
      maxHeadersSize: Math.max(limits.maxHeaderBytes, headerBytes) + 65536,
      attachmentEncoding: 'arraybuffer',
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/nesting|depth/i.test(message)) notes.push({ code: 'too-deep', limit: limits.maxNestingDepth });
    else notes.push({ code: 'mime-error', message: message.slice(0, 200) });
    // Fall back to what the header block and the first text parts say, so a verdict is still given.
    const fields = rawHeaderFields(raw);
    const attachments: MailAttachment[] = [];
    const leaves = rawTextLeaves(
      raw,
      limits.maxParts,
      Math.min(limits.maxNestingDepth, 20),
      attachments,
      limits.maxTextChars * 4,
    );
    const fallback: ParsedMail = {
      headerless: false,
      headers: [...fields].map(([key, value]) => ({ key, value })),
      from: null,
      fromAll: [],
      fromNames: [],
      sender: readAddressField(fields.get('sender')).primary,
      replyTo: readAddressField(fields.get('reply-to')).all,
      returnPath:
        fields
          .get('return-path')
          ?.replace(/[<>\s]/g, '')
          .toLowerCase() ?? null,
      subject: decodeHeaderWords(fields.get('subject') ?? '').trim(),
      date: fields.get('date') ?? null,
      text: capText(
        leaves
          .filter((l) => l.contentType === 'text/plain')
          .map((l) => l.text)
          .join('\n'),
        limits.maxTextChars,
        notes,
      ),
      html: capText(
        leaves
          .filter((l) => l.contentType === 'text/html')
          .map((l) => l.text)
          .join('\n'),
        limits.maxTextChars,
        notes,
      ),
      attachments,
      notes,
    };
    setFrom(fallback, fields.get('from'));
    return fallback;
  }

  let attachments: MailAttachment[] = email.attachments.map((a) => {
    const bytes = bytesOf(a.content);
    const filename = a.filename ?? '';
    return {
      filename,
      mimeType: a.mimeType.toLowerCase(),
      size: bytes.byteLength,
      content: keepContent(a.mimeType, filename) && bytes.byteLength <= KEEP_CONTENT_BYTES ? bytes : null,
      ...(a.contentId ? { inline: true } : {}),
    };
  });
  if (attachments.length > limits.maxParts) {
    notes.push({ code: 'too-many-parts', limit: limits.maxParts });
    attachments = attachments.slice(0, limits.maxParts);
  }

  const rawField = (key: string) => email.headers.find((h) => h.key === key)?.value;
  const rawSubject = rawField('subject');
  const mail: ParsedMail = {
    headerless: false,
    headers: email.headers.map((h) => ({ key: h.key, value: h.value })),
    from: null,
    fromAll: [],
    fromNames: [],
    sender: rawField('sender') !== undefined ? readAddressField(rawField('sender')).primary : null,
    replyTo: rawField('reply-to') !== undefined ? readAddressField(rawField('reply-to')).all : [],
    returnPath: email.returnPath?.toLowerCase() ?? null,
    // postal-mime decodes word by word: a character split across two encoded words comes out as U+FFFD.
    subject: (email.subject?.includes('\uFFFD') && rawSubject?.includes('=?')
      ? decodeHeaderWords(rawSubject)
      : (email.subject ?? '')
    ).trim(),
    date: email.headers.find((h) => h.key === 'date')?.value ?? null,
    text: capText(email.text ?? '', limits.maxTextChars, notes),
    html: capText(email.html ?? '', limits.maxTextChars, notes),
    attachments,
    notes,
  };
  setFrom(mail, rawField('from'));
  repairCharsets(raw, mail, limits);
  return mail;
}

/** From, read with every address it holds (several, in a name, after an unquoted comma). */
function setFrom(mail: ParsedMail, value: string | undefined): void {
  const field = readAddressField(value);
  mail.from = field.primary;
  mail.fromAll = field.all;
  mail.fromNames = field.names;
}
