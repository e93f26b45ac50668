import { Parser } from 'htmlparser2';
import type { ParseNote } from './types.ts';

export interface HtmlAnchor {
  href: string;
  text: string;
}

export interface HtmlForm {
  action: string;
  method: string;
  /** Names of input fields, such as password or cc-number, to show what the form asks for. */
  inputs: string[];
}

export interface HtmlSummary {
  text: string;
  anchors: HtmlAnchor[];
  images: string[];
  /** Images' alt text: a callback scam's phone number can stand there alone, in an image of the "invoice". */
  imageAlts: string[];
  forms: HtmlForm[];
  scripts: number;
  /** Inline handlers and javascript: URLs count as scripts. */
  metaRefresh: string | null;
  /** The document's <title> (first 200 characters): a copied template keeps the brand's there. */
  title: string;
}

const SKIP_TEXT = new Set(['script', 'style', 'head', 'title', 'noscript', 'template']);
const BLOCK = new Set([
  'p',
  'div',
  'br',
  'tr',
  'li',
  'table',
  'h1',
  'h2',
  'h3',
  'h4',
  'td',
  'section',
  'article',
  'hr',
]);

export interface HtmlLimits {
  maxHtmlNodes: number;
  maxHtmlDepth: number;
}

// htmlparser2's void elements, exactly: one it stacks must be counted here too.
const VOID = new Set([
  'area',
  'base',
  'basefont',
  'br',
  'col',
  'command',
  'embed',
  'frame',
  'hr',
  'image',
  'img',
  'input',
  'isindex',
  'keygen',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);
/** Tags that close an open one of these (htmlparser2 does the same), so sloppy `<p>…<p>` does not count as depth. */
const SELF_CLOSING: Record<string, readonly string[]> = {
  p: ['p'],
  li: ['li'],
  td: ['td', 'th'],
  th: ['td', 'th'],
  tr: ['tr', 'td', 'th'],
  option: ['option'],
  dd: ['dd', 'dt'],
  dt: ['dd', 'dt'],
};
/** Beyond the depth limit, anchors and forms may still open a few levels: their targets are what rules judge. */
const KEEP_BEYOND_DEPTH = new Set(['a', 'form', 'input']);
const EXTRA_DEPTH = 8;
/** Elements whose content htmlparser2 reads as text up to their closing tag. */
const RAW_TEXT = new Set(['script', 'style', 'title', 'textarea', 'xmp']);
/**
 * A guard behind `boundHtml`, not a limit: should the bound and htmlparser2 ever disagree on the nesting, parsing
 * stops at this depth rather than run for minutes.
 */
const PARSER_DEPTH_GUARD = 1024;
class DepthGuard extends Error {}

/**
 * Bounds HTML before htmlparser2 sees it: its element stack costs time per level (1 MB of nested `<div>` took
 * 10+ s), so tags nested deeper than `maxHtmlDepth` are dropped (their text stays), and after `maxHtmlNodes` tags
 * only the text is kept. The scan is linear and counts depth at least as deep as htmlparser2 will, so the parser's
 * stack never exceeds the limit (plus a few anchor levels). Unchanged HTML is returned as is.
 */
export function boundHtml(html: string, limits: HtmlLimits): { html: string; notes: ParseNote[] } {
  const notes: ParseNote[] = [];
  const stack: string[] = [];
  const pieces: string[] = [];
  let last = 0;
  const excess = new Map<string, number>();
  let dropped = 0;
  let nodes = 0;
  let nextGt = -1;
  let i = 0;
  const drop = (from: number, to: number) => {
    pieces.push(html.slice(last, from));
    last = to;
  };
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) break;
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      if (end < 0) break;
      i = end + 3;
      continue;
    }
    const closing = html[lt + 1] === '/';
    const nameStart = closing ? lt + 2 : lt + 1;
    const c = html.charCodeAt(nameStart);
    if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a))) {
      i = lt + 1;
      continue;
    }
    if (nextGt < lt) nextGt = html.indexOf('>', lt);
    const end = nextGt < 0 ? html.length : nextGt + 1;
    let nameEnd = nameStart;
    while (nameEnd < end && !/[\s/>]/.test(html[nameEnd]!)) nameEnd++;
    const name = html.slice(nameStart, Math.min(nameEnd, nameStart + 32)).toLowerCase();
    i = end;
    if (closing) {
      // The closing tag of a dropped element is dropped with it.
      const open = excess.get(name) ?? 0;
      if (open > 0) {
        excess.set(name, open - 1);
        drop(lt, end);
        continue;
      }
      const at = stack.lastIndexOf(name);
      if (at >= 0) stack.length = at;
      continue;
    }
    const closes = SELF_CLOSING[name];
    while (closes && stack.length && closes.includes(stack[stack.length - 1]!)) stack.pop();
    const deep = !VOID.has(name) && stack.length >= limits.maxHtmlDepth;
    const kept = !deep || (KEEP_BEYOND_DEPTH.has(name) && stack.length < limits.maxHtmlDepth + EXTRA_DEPTH);
    // Counted are the tags htmlparser2 will see: a dropped one costs it nothing.
    if (kept && ++nodes > limits.maxHtmlNodes) {
      notes.push({ code: 'html-nodes-capped', limit: limits.maxHtmlNodes });
      pieces.push(
        html.slice(last, lt),
        html
          .slice(lt)
          .replace(/<[^<>]*>/g, ' ')
          .replace(/</g, '&lt;'),
      );
      last = html.length;
      break;
    }
    if (VOID.has(name)) continue;
    if (!kept) {
      excess.set(name, (excess.get(name) ?? 0) + 1);
      dropped++;
      drop(lt, end);
      continue;
    }
    stack.push(name);
    if (RAW_TEXT.has(name)) {
      // Raw text: htmlparser2 reads no tags inside, until the closing tag.
      const re = new RegExp(`</${name}[\\s/>]`, 'ig');
      re.lastIndex = end;
      const m = re.exec(html);
      stack.pop();
      i = m ? m.index + m[0].length : html.length;
    }
  }
  if (dropped) notes.push({ code: 'html-depth-capped', limit: limits.maxHtmlDepth, dropped });
  if (last === 0) return { html, notes };
  pieces.push(html.slice(last));
  return { html: pieces.join(''), notes };
}

/**
 * One streaming pass over HTML: visible text, anchors with their shown text, images, forms, scripts. Bounded by
 * maxItems; the HTML itself must have been bounded by `boundHtml` (parseMail does).
 */
export function summarizeHtml(html: string, maxItems: number): HtmlSummary {
  const out: HtmlSummary = {
    text: '',
    anchors: [],
    images: [],
    imageAlts: [],
    forms: [],
    scripts: 0,
    metaRefresh: null,
    title: '',
  };
  let inTitle = false;
  const text: string[] = [];
  let skipDepth = 0;
  let anchor: { href: string; parts: string[] } | null = null;
  let form: HtmlForm | null = null;
  let depth = 0;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (!VOID.has(name) && ++depth > PARSER_DEPTH_GUARD) throw new DepthGuard();
        if (SKIP_TEXT.has(name)) skipDepth++;
        if (name === 'title') inTitle = true;
        if (name === 'script') out.scripts++;
        if (Object.keys(attrs).some((k) => k.startsWith('on'))) out.scripts++;
        if (BLOCK.has(name)) text.push('\n');
        if (name === 'a' && attrs.href !== undefined) {
          if (/^\s*javascript:/i.test(attrs.href)) out.scripts++;
          anchor = { href: attrs.href, parts: [] };
        }
        if (name === 'img' && attrs.src && out.images.length < maxItems) out.images.push(attrs.src);
        if (name === 'img' && attrs.alt?.trim() && out.imageAlts.length < maxItems)
          out.imageAlts.push(attrs.alt.slice(0, 500));
        if (name === 'form')
          form = { action: attrs.action ?? '', method: (attrs.method ?? 'get').toLowerCase(), inputs: [] };
        if (
          (name === 'input' || name === 'select' || name === 'textarea') &&
          form &&
          form.inputs.length < 50
        ) {
          const label = attrs.name || attrs.id || attrs.type || name;
          form.inputs.push(attrs.type === 'password' ? `${label} (password)` : label);
        }
        if (name === 'meta' && /refresh/i.test(attrs['http-equiv'] ?? '')) {
          out.metaRefresh = attrs.content ?? '';
        }
      },
      ontext(data) {
        if (inTitle && out.title.length < 200) out.title = (out.title + data).slice(0, 200);
        if (skipDepth > 0) return;
        text.push(data);
        if (anchor) anchor.parts.push(data);
      },
      onclosetag(name) {
        if (!VOID.has(name)) depth--;
        if (SKIP_TEXT.has(name) && skipDepth > 0) skipDepth--;
        if (name === 'title') inTitle = false;
        if (BLOCK.has(name)) text.push('\n');
        if (name === 'a' && anchor) {
          if (out.anchors.length < maxItems) {
            out.anchors.push({ href: anchor.href, text: anchor.parts.join('').replace(/\s+/g, ' ').trim() });
          }
          anchor = null;
        }
        if (name === 'form' && form) {
          if (out.forms.length < maxItems) out.forms.push(form);
          form = null;
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  try {
    parser.write(html);
    parser.end();
  } catch (err) {
    if (!(err instanceof DepthGuard)) throw err;
  }
  if (form) out.forms.push(form);
  out.text = text
    .join('')
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/\n\s*\n+/g, '\n')
    .trim();
  return out;
}
