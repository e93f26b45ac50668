import { Parser } from 'htmlparser2';
import PostalMime from 'postal-mime';

/**
 * Text of a saved page, read safely. HTML is walked by htmlparser2 as text only: no element is rendered, no
 * script, style or template content is kept, nothing remote (images, frames, links) is ever fetched. Block
 * elements and table cells end a line (as a desktop copy gives them), so the extractor sees one field per line
 * or per cell.
 */

/** The most text a paste may hold (a long transactions page is some hundred KB). */
export const MAX_PASTE_CHARS = 2_000_000;

const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'dd',
  'div',
  'dl',
  'dt',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'section',
  'table',
  'tbody',
  'thead',
  'tfoot',
  'tr',
  'ul',
  'option',
  'select',
  'button',
  'label',
  'fieldset',
  'legend',
  'figcaption',
  'figure',
]);
const CELL = new Set(['td', 'th']);
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'head', 'svg', 'math', 'iframe', 'object']);

/** The visible text of an HTML document, one block per line. */
export function htmlToText(html: string): string {
  const out: string[] = [];
  let skip = 0;
  let size = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIP.has(name)) skip++;
        else if (BLOCK.has(name)) out.push('\n');
        else if (CELL.has(name)) out.push('\t');
      },
      onclosetag(name) {
        if (SKIP.has(name)) skip = Math.max(0, skip - 1);
        else if (BLOCK.has(name)) out.push('\n');
      },
      ontext(text) {
        if (skip || size > MAX_PASTE_CHARS) return;
        size += text.length;
        out.push(text.replace(/[\r\n]+/g, ' '));
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html.length > MAX_PASTE_CHARS * 4 ? html.slice(0, MAX_PASTE_CHARS * 4) : html);
  parser.end();
  return out
    .join('')
    .split('\n')
    .map((l) => l.replace(/[ \u00a0]+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

/** A saved page: `.mhtml` (MIME, quoted-printable or base64 parts), `.html`, or plain text. */
export type PageFormat = 'text' | 'html' | 'mhtml';

/** Which format bytes are, by their start (a file's name is only a hint: people rename files). */
export function pageFormat(bytes: Uint8Array, nameHint = ''): PageFormat {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 2048)).toLowerCase();
  if (
    /^\s*(?:from:|snapshot-content-location:|subject:|date:|mime-version:)/m.test(head) &&
    /multipart\/related/.test(head)
  )
    return 'mhtml';
  if (/^\s*(?:\ufeff)?\s*(?:<!doctype html|<html|<head|<body|<meta|<div|<table)/.test(head)) return 'html';
  if (/\.(mhtml?|mht)$/i.test(nameHint) && /mime-version:/.test(head)) return 'mhtml';
  if (/\.html?$/i.test(nameHint) && head.includes('<')) return 'html';
  return 'text';
}

function decodeText(bytes: Uint8Array): string {
  // UTF-8 first (what browsers save and phones copy); Shift_JIS for older saved pages.
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    try {
      return new TextDecoder('shift_jis', { fatal: true }).decode(bytes);
    } catch {
      return new TextDecoder('utf-8').decode(bytes);
    }
  }
}

/** The HTML of a saved page's charset, from its meta tag, else UTF-8. */
function decodeHtml(bytes: Uint8Array): string {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 4096));
  const m = /<meta[^>]+charset=["']?([\w-]+)/i.exec(head);
  const label = m?.[1]?.toLowerCase();
  if (label && label !== 'utf-8' && label !== 'utf8') {
    try {
      return new TextDecoder(label).decode(bytes);
    } catch {
      // An unknown label: fall through to the byte sniffing.
    }
  }
  return decodeText(bytes);
}

/** The text of a page as bytes; a part that cannot be decoded gives what could be read. */
export async function pageText(
  bytes: Uint8Array,
  nameHint = '',
): Promise<{ format: PageFormat; text: string }> {
  const format = pageFormat(bytes, nameHint);
  if (format === 'mhtml') {
    // postal-mime decodes the parts' transfer encodings and charsets; only the first HTML part (the page) is read.
    const mail = await PostalMime.parse(bytes);
    const html = mail.html ?? '';
    return { format, text: html ? htmlToText(html) : (mail.text ?? '') };
  }
  if (format === 'html') return { format, text: htmlToText(decodeHtml(bytes)) };
  return { format, text: decodeText(bytes) };
}
