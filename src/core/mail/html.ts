import { Parser } from 'htmlparser2';

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
  forms: HtmlForm[];
  scripts: number;
  /** Inline handlers and javascript: URLs count as scripts. */
  metaRefresh: string | null;
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

/** One streaming pass over HTML: visible text, anchors with their shown text, images, forms, scripts. Bounded by maxItems. */
export function summarizeHtml(html: string, maxItems: number): HtmlSummary {
  const out: HtmlSummary = { text: '', anchors: [], images: [], forms: [], scripts: 0, metaRefresh: null };
  const text: string[] = [];
  let skipDepth = 0;
  let anchor: { href: string; parts: string[] } | null = null;
  let form: HtmlForm | null = null;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (SKIP_TEXT.has(name)) skipDepth++;
        if (name === 'script') out.scripts++;
        if (Object.keys(attrs).some((k) => k.startsWith('on'))) out.scripts++;
        if (BLOCK.has(name)) text.push('\n');
        if (name === 'a' && attrs.href !== undefined) {
          if (/^\s*javascript:/i.test(attrs.href)) out.scripts++;
          anchor = { href: attrs.href, parts: [] };
        }
        if (name === 'img' && attrs.src && out.images.length < maxItems) out.images.push(attrs.src);
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
        if (skipDepth > 0) return;
        text.push(data);
        if (anchor) anchor.parts.push(data);
      },
      onclosetag(name) {
        if (SKIP_TEXT.has(name) && skipDepth > 0) skipDepth--;
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
  parser.write(html);
  parser.end();
  if (form) out.forms.push(form);
  out.text = text
    .join('')
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/\n\s*\n+/g, '\n')
    .trim();
  return out;
}
