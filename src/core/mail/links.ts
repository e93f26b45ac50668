import { parseHostname } from './domain.ts';
import punycode from 'punycode.js';
import type { HtmlSummary } from './html.ts';

/** `qr`: a QR code in a picture of the mail or PDF (its text says where it was found). */
export type LinkKind = 'anchor' | 'text' | 'image' | 'form' | 'attachment' | 'qr';

export interface Link {
  kind: LinkKind;
  /** What the reader sees: the anchor's text, or the URL itself for a URL written in text. */
  text: string;
  /** The real target, as written in the mail (never fetched). */
  target: string;
  /** Lower-case ASCII host (punycode kept), or null when the target is not a web address. */
  host: string | null;
  /** The host in Unicode, for IDN look-alikes. */
  unicodeHost: string | null;
  /** Registrable domain (public-suffix aware), or null for IP literals and bad hosts. */
  domain: string | null;
  ip: boolean;
  /** A user-info part (`https://amazon.co.jp@evil.example/`) hides the real host after an @. */
  userinfo: string | null;
  /** For an `attachment` link: the kind of document it was read from (evidence says where). */
  document?: 'pdf' | 'rtf';
}

/** URLs written as text. Stops at spaces, quotes, brackets and Japanese punctuation. */
const TEXT_URL = /\b(?:https?:\/\/|hxxps?:\/\/|www\.)[^\s<>"'`「」『』（）()【】、。，！？]+/giu;
const SLASH_LOOKALIKES = /[\u2215\u2044\u29F8\uFF0F\u2571]/gu;

function cleanTarget(t: string): string {
  return t
    .trim()
    .replace(/^<|>$/g, '')
    .replace(/[.,;:!?)\]]+$/u, '');
}

/** An IDN host in Unicode (`xn--80ak6aa92e.com` → `аррӏе.com`); a label that is not valid punycode stays as written. */
export function idnToUnicode(host: string): string {
  try {
    return punycode.toUnicode(host).toLowerCase();
  } catch {
    return host;
  }
}

export function analyseTarget(kind: LinkKind, text: string, rawTarget: string): Link | null {
  const target = cleanTarget(rawTarget);
  if (!target || /^(mailto|tel|cid|data|#)/i.test(target)) return null;
  let candidate = target.replace(SLASH_LOOKALIKES, '/').replace(/^hxxp/i, 'http');
  if (/^\/\//.test(candidate)) candidate = 'https:' + candidate;
  if (!/^[a-z][a-z0-9+.-]*:/i.test(candidate)) candidate = 'http://' + candidate;
  let host: string | null = null;
  let userinfo: string | null = null;
  try {
    const url = new URL(candidate);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return { kind, text, target, host: null, unicodeHost: null, domain: null, ip: false, userinfo: null };
    }
    host = url.hostname.toLowerCase().replace(/\.$/, '');
    if (url.username) userinfo = decodeURIComponent(url.username + (url.password ? ':' + url.password : ''));
  } catch {
    return { kind, text, target, host: null, unicodeHost: null, domain: null, ip: false, userinfo: null };
  }
  const bare = host.replace(/^\[|\]$/g, '');
  const parsed = parseHostname(bare);
  return {
    kind,
    text,
    target,
    host: bare,
    unicodeHost: host.includes('xn--') ? idnToUnicode(bare) : bare,
    domain: parsed.isIp ? null : parsed.domain,
    ip: parsed.isIp,
    userinfo,
  };
}

/** Every link of a mail: anchors (with their shown text), images, form actions, and URLs written in text. */
export function extractLinks(
  text: string,
  html: HtmlSummary | null,
  maxLinks: number,
): { links: Link[]; capped: boolean } {
  const links: Link[] = [];
  const seen = new Set<string>();
  let capped = false;
  const add = (l: Link | null) => {
    if (!l) return;
    const key = `${l.kind}\u0000${l.text}\u0000${l.target}`;
    if (seen.has(key)) return;
    if (links.length >= maxLinks) {
      capped = true;
      return;
    }
    seen.add(key);
    links.push(l);
  };
  if (html) {
    for (const a of html.anchors) add(analyseTarget('anchor', a.text, a.href));
    for (const src of html.images) add(analyseTarget('image', '', src));
    for (const f of html.forms) if (f.action) add(analyseTarget('form', '', f.action));
  }
  // A URL in the text that is an anchor's target or its shown text is that anchor, not another link.
  const anchorSeen = new Set(links.flatMap((l) => [l.target, cleanTarget(l.text)]));
  for (const m of text.matchAll(TEXT_URL)) {
    const t = cleanTarget(m[0]);
    if (anchorSeen.has(t)) continue;
    add(analyseTarget('text', t, t));
  }
  return { links, capped };
}

/** The host that a link's shown text names, if the text looks like a URL or a domain. */
export function shownHost(text: string): string | null {
  const t = text.trim().replace(SLASH_LOOKALIKES, '/');
  const m = /^(?:https?:\/\/)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?:[/:?#]|$)/iu.exec(t.normalize('NFKC'));
  return m ? m[1]!.toLowerCase() : null;
}

export function hasSlashLookalike(s: string): boolean {
  return /[\u2215\u2044\u29F8\u2571]/u.test(s);
}
