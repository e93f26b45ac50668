import { getDomain } from 'tldts';
import type { CheckKnowledge, CompiledLookalike } from '#core/knowledge/compile.ts';
import type { Merchant } from '#core/knowledge/schema.ts';
import { alignedPass, assessAuth, type AuthAssessment } from '#core/mail/auth.ts';
import { summarizeHtml, type HtmlSummary } from '#core/mail/html.ts';
import { extractLinks, type Link } from '#core/mail/links.ts';
import type { ProviderId } from '#core/mail/providers.ts';
import type { ParsedMail } from '#core/mail/types.ts';
import { foldText, makeTextView, originalSpan, type Folding, type TextView } from '#core/text/normalize.ts';
import { extractOrderIds, type OrderHistory } from './orders.ts';

export interface CheckOptions {
  /** The user's own orders, for the order-number rule; null when none are known. */
  orders?: OrderHistory | null;
  /**
   * Authentication-Results ids the user trusts (their provider's, when it is not the domain of its receiving
   * hosts), believed wherever they stand except below an earlier hop.
   */
  authservIds?: readonly string[];
  /** The user's mail provider (a stored setting): its domains count as the receiver's at the entry hop. */
  provider?: ProviderId | null;
}

export type ClaimVia = 'from-name' | 'from-address' | 'subject' | 'body' | 'images' | 'link-text';

export interface CheckContext {
  mail: ParsedMail;
  knowledge: CheckKnowledge;
  subject: TextView;
  body: TextView;
  fromName: string;
  fromAddress: string;
  fromHost: string | null;
  fromDomain: string | null;
  html: HtmlSummary | null;
  links: Link[];
  linksCapped: boolean;
  merchant: Merchant | null;
  claimVia: ClaimVia[];
  auth: AuthAssessment;
  /** The provider vouched for the From domain (aligned pass) and that domain is the claimed brand's own. */
  authenticated: boolean;
  japanese: boolean;
  orderIds: string[];
  orders: OrderHistory | null;
}

const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/gu;

/** Damerau–Levenshtein distance, bounded: returns max+1 as soon as it is exceeded. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [
    i,
    ...Array<number>(b.length).fill(0),
  ]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    let rowMin = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
  }
  return d[a.length]![b.length]!;
}

/** The ASCII brand words of a merchant ("amazon"), used for look-alike comparison. */
export function brandWords(m: Merchant): string[] {
  return [...new Set(m.brandTokens.map((t) => t.split('.')[0]!).filter((t) => /^[a-z]+$/.test(t)))];
}

const skeletonPatterns = new WeakMap<Folding, RegExp>();

/** Folds visual tricks used on brand names in hosts and names (data/lists/lookalike.yaml: rn→m, 0→o, …). */
export function skeleton(s: string, lookalike: CompiledLookalike): string {
  const map = lookalike.skeleton;
  let re = skeletonPatterns.get(map);
  if (!re) {
    // One pass, longest sequence first, so that a replacement is never folded again.
    const keys = [...map.keys()].sort((a, b) => b.length - a.length);
    re = keys.length
      ? new RegExp(keys.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g')
      : /(?!)/g;
    skeletonPatterns.set(map, re);
  }
  return s.replace(re, (k) => map.get(k) ?? k);
}

/** Words in a folded string that look like a brand word without being it (amaz0n, amazom, arnazon, aamzon). */
export function lookalikeWords(folded: string, words: string[], lookalike: CompiledLookalike): string[] {
  const out: string[] = [];
  for (const w of folded.split(/[^a-z0-9]+/)) {
    if (w.length < 4 || w.length > 12) continue;
    const sk = skeleton(w, lookalike);
    for (const b of words) {
      if (w === b) continue;
      if (sk === b || (b.length >= 5 && editDistance(sk, b, 1) <= 1)) out.push(w);
      else if (sk.startsWith(b) && sk !== b && lookalike.suffixes.has(sk.slice(b.length))) out.push(w);
    }
  }
  return out;
}

/**
 * The brand written so that a filter would miss it: letters from other alphabets, invisible characters, or a
 * space inside the word ("ama zon", "A m a z o n"). Full-width letters are ordinary Japanese typing, not this.
 */
export function isObfuscatedSpan(span: string, word: string): boolean {
  const plain = span.normalize('NFKC').toLowerCase();
  const stripped = plain.replace(/\s/g, '');
  return stripped !== word || /\s/.test(plain);
}

/** How many times the brand word is written obfuscated in a text view. */
export function obfuscatedMentions(view: TextView, word: string): number {
  let n = 0;
  for (let at = view.compact.indexOf(word); at >= 0; at = view.compact.indexOf(word, at + word.length)) {
    if (isObfuscatedSpan(originalSpan(view, at, at + word.length, true), word)) n++;
  }
  return n;
}

function mentions(haystack: string, token: string): number {
  let n = 0;
  let i = haystack.indexOf(token);
  while (i >= 0) {
    n++;
    i = haystack.indexOf(token, i + token.length);
  }
  return n;
}

export function buildContext(
  mail: ParsedMail,
  knowledge: CheckKnowledge,
  options: CheckOptions,
): CheckContext {
  const { folding, scoring } = knowledge;
  const html = mail.html ? summarizeHtml(mail.html, scoring.limits.maxLinks) : null;
  const bodyText = [
    mail.text,
    html && (!mail.text || mail.text.length < html.text.length / 4) ? html.text : '',
  ]
    .filter(Boolean)
    .join('\n');
  const body = makeTextView(bodyText, folding);
  const subject = makeTextView(mail.subject, folding);
  const { links, capped } = extractLinks(bodyText, html, scoring.limits.maxLinks);
  const fromAddress = mail.from?.address ?? '';
  const fromHost = fromAddress.includes('@')
    ? fromAddress.slice(fromAddress.lastIndexOf('@') + 1).toLowerCase()
    : null;
  const fromDomain = fromHost ? (getDomain(fromHost) ?? null) : null;
  const fromName = foldText(mail.from?.name ?? '', folding);
  const japanese = ((subject.original + body.original.slice(0, 20000)).match(KANA)?.length ?? 0) >= 10;

  // Which watched brand does the mail present itself as?
  let merchant: Merchant | null = null;
  let claimVia: ClaimVia[] = [];
  let bestFit = -1;
  const foldedAddress = foldText(fromAddress, folding);
  const cdnHosts = new Set(knowledge.merchants.flatMap((m) => m.cdnDomains));
  for (const m of knowledge.merchants) {
    const tokens = m.brandTokens.map((t) => foldText(t, folding));
    const words = brandWords(m);
    const via: ClaimVia[] = [];
    const compactName = fromName.replace(/[\s.]+/g, '');
    const nameWords = new Set(fromName.split(/[^\p{L}\p{N}]+/u));
    if (
      tokens.some((t) => fromName.includes(t) || compactName.includes(t.replace(/\./g, ''))) ||
      lookalikeWords(fromName, words, knowledge.lookalike).length ||
      m.senderNameTokens.some((t) => nameWords.has(foldText(t, folding)))
    )
      via.push('from-name');
    if (
      tokens.some((t) => foldedAddress.includes(t)) ||
      lookalikeWords(foldedAddress, words, knowledge.lookalike).length ||
      (fromDomain && m.senderDomains.includes(fromDomain))
    )
      via.push('from-address');
    if (
      tokens.some((t) => subject.compact.includes(t.replace(/\s+/g, ''))) ||
      lookalikeWords(subject.norm, words, knowledge.lookalike).length ||
      m.subjectPhrases.some((ph) => subject.norm.includes(foldText(ph, folding)))
    )
      via.push('subject');
    const bodyMentions = tokens.reduce((n, t) => n + mentions(body.compact, t.replace(/\s+/g, '')), 0);
    // Writing the brand in disguise is itself a claim to be it.
    const disguised = words.some((w) => obfuscatedMentions(body, w) + obfuscatedMentions(subject, w) > 0);
    // The brand at the very top of the body is a logo or letterhead: the mail presents itself as the brand.
    const letterhead = tokens.some((t) => body.compact.slice(0, 80).includes(t.replace(/\s+/g, '')));
    if (bodyMentions >= (mail.headerless ? 1 : scoring.bodyMentionsForClaim) || disguised || letterhead)
      via.push('body');
    if (links.some((l) => l.kind === 'image' && l.domain && cdnHosts.has(l.domain))) via.push('images');
    if (links.some((l) => l.kind === 'anchor' && tokens.some((t) => foldText(l.text, folding).includes(t))))
      via.push('link-text');
    const claims =
      via.some((v) => v === 'from-name' || v === 'from-address' || v === 'subject') ||
      via.includes('body') ||
      (via.includes('images') && via.includes('link-text'));
    if (!claims) continue;
    // Between storefronts of one brand: a name only one storefront uses (amazon.co.jp, アマゾン) decides, then
    // the language of the mail (Japanese mail → amazon-jp), then the sender's country domain.
    const specific = m.brandTokens.filter(
      (t) => !knowledge.merchants.some((o) => o !== m && o.brandTokens.includes(t)),
    );
    const seen = `${fromName} ${foldedAddress} ${subject.compact} ${body.compact.slice(0, 20000)}`;
    const fit =
      specific.filter((t) => seen.includes(foldText(t, folding))).length * 4 +
      (m.languages.includes('ja') === japanese ? 2 : 0) +
      (fromDomain !== null && fromDomain.endsWith('.jp') === m.languages.includes('ja') ? 1 : 0);
    if (fit > bestFit) {
      bestFit = fit;
      merchant = m;
      claimVia = via;
    }
  }

  const auth = assessAuth(mail.headers, {
    configuredIds: options.authservIds ?? [],
    provider: options.provider ?? null,
  });
  const authenticated =
    merchant !== null &&
    fromDomain !== null &&
    merchant.senderDomains.includes(fromDomain) &&
    auth.trusted !== null &&
    alignedPass(auth.trusted, fromHost ?? fromDomain).pass;

  return {
    mail,
    knowledge,
    subject,
    body,
    fromName,
    fromAddress,
    fromHost,
    fromDomain,
    html,
    links,
    linksCapped: capped,
    merchant,
    claimVia,
    auth,
    authenticated,
    japanese,
    orderIds: extractOrderIds(mail.subject + '\n' + bodyText, knowledge.merchants),
    orders: options.orders ?? null,
  };
}

/** Is this link's domain one the claimed brand (or, with no claim, any watched brand) links to? */
export function isOwnLink(ctx: Pick<CheckContext, 'merchant' | 'knowledge'>, domain: string | null): boolean {
  if (!domain) return false;
  const merchants = ctx.merchant ? [ctx.merchant] : ctx.knowledge.merchants;
  return merchants.some((m) => m.linkDomains.includes(domain));
}
