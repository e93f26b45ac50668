import { registrableDomain } from '#core/mail/domain.ts';
import type { CheckKnowledge, CompiledLookalike } from '#core/knowledge/compile.ts';
import type { Merchant } from '#core/knowledge/schema.ts';
import { alignedPass, assessAuth, type AuthAssessment } from '#core/mail/auth.ts';
import { summarizeHtml, type HtmlSummary } from '#core/mail/html.ts';
import { analyseTarget, extractLinks, type Link } from '#core/mail/links.ts';
import type { ProviderId } from '#core/mail/providers.ts';
import { isRtf, readRtf } from '#core/mail/rtf.ts';
import type { ParsedMail } from '#core/mail/types.ts';
import type { ImageReader } from '#core/ports/image-reader.ts';
import type { PdfReader } from '#core/ports/pdf-reader.ts';
import { guessLanguage, isJapanese, languageWords } from '#core/text/language.ts';
import { foldText, makeTextView, originalSpan, type Folding, type TextView } from '#core/text/normalize.ts';
import { claimedBrand } from './claim.ts';
import { mailPictures, visibleChars } from './pictures.ts';
import { extractOrderIds, type OrderHistory } from './orders.ts';
import { inputShape, type InputShape } from './shape.ts';

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
  /** Reads attached PDFs (text and links) before the check; without one, only a PDF's raw link targets are seen. */
  readPdf?: PdfReader;
  /**
   * Reads pictures (QR codes; OCR text of a screenshot given as the input and of an image-only mail's pictures)
   * before the check; without one, a picture input is "not a mail" and a mail's pictures are not read.
   */
  readImage?: ImageReader;
}

/** Where a claim was read. `sender-header`: the name or address of the Sender or Reply-To field. */
export type ClaimVia =
  'from-name' | 'from-address' | 'sender-header' | 'subject' | 'body' | 'images' | 'link-text';

/** One address of the From field, as the sender rules judge it. */
export interface SenderAddress {
  address: string;
  host: string | null;
  domain: string | null;
  /** Only written in the display name (or after a second `<…>`): shown to the reader, not where the mail is from. */
  inName: boolean;
}

export interface CheckContext {
  mail: ParsedMail;
  /** What the input is: a mail, pasted text, an SMS-shaped text, a link on its own. */
  shape: InputShape;
  knowledge: CheckKnowledge;
  subject: TextView;
  body: TextView;
  /** The text of the attached PDFs (as read by a `PdfReader`), matched by the same text rules as the body. */
  pdf: TextView | null;
  /** The text of the attached RTF documents (read here: RTF is text), or null when none has any. */
  rtf: TextView | null;
  fromName: string;
  fromAddress: string;
  fromHost: string | null;
  fromDomain: string | null;
  /** Every address of the From field (the primary one first): the sender rules judge each. */
  fromAddresses: SenderAddress[];
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
  /** What the mail's pictures held, as read before the check (`pictures.ts`); empty without an ImageReader. */
  pictures: {
    /** Each QR code's link and where it was found ("image 2 (verify.png)"). */
    qr: { where: string; link: Link }[];
    /** Pictures read (attachments and inline images). */
    count: number;
    /** Characters of visible text (spaces left out) besides the pictures. */
    visibleChars: number;
  };
}

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

/**
 * A profile's storefront domain written with dashes for dots ("amazon-co-jp", "nta-go-jp", "smbc-card-com"), as
 * phishing hosts and sender addresses spell it; null for a storefront without a dot. The storefront only: a brand's
 * other sending domains may be another profile's own (amazon.com sends for amazon.co.jp), and "amazon-co-jp" must
 * point to one storefront. It counts only where a word starts and ends ("santa-go-jp" is not "nta-go-jp").
 */
export function dashedStorefront(m: Merchant): string | null {
  return m.storefront.includes('.') ? m.storefront.replace(/\./g, '-') : null;
}

/** A profile's names: its brand tokens and its dashed storefront. Once per profile. */
const namesCache = new WeakMap<Merchant, readonly string[]>();
export function brandNames(m: Merchant): readonly string[] {
  let names = namesCache.get(m);
  if (!names) {
    const dashed = dashedStorefront(m);
    names = [...new Set([...m.brandTokens, ...(dashed ? [dashed] : [])])];
    namesCache.set(m, names);
  }
  return names;
}

/** The ASCII brand words of a merchant ("amazon", "rakuten", "jcb"), looked for in hosts and addresses. */
export function brandWords(m: Merchant): string[] {
  return [
    ...new Set(
      brandNames(m)
        .map((t) => t.split('.')[0]!)
        .filter((t) => /^[a-z](?:[a-z-]*[a-z])?$/.test(t)),
    ),
  ];
}

const wordCache = new WeakMap<readonly Merchant[], { brand: string[]; lookalike: string[] }>();

/** Every profile's brand words and look-alike words, each once. */
export function watchedWords(merchants: readonly Merchant[]): { brand: string[]; lookalike: string[] } {
  let w = wordCache.get(merchants);
  if (!w) {
    w = {
      brand: [...new Set(merchants.flatMap(brandWords))],
      lookalike: [...new Set(merchants.flatMap((m) => m.lookalikeWords))],
    };
    wordCache.set(merchants, w);
  }
  return w;
}

/**
 * A brand word inside a host, a host label or an address part. A long word counts anywhere ("amazon" in
 * "amazon-secure"); a word under six letters only as a whole token ("jcb-card", "apple-id"), since short words
 * hide inside ordinary ones ("pineapple", "myjcbx").
 */
export function hasBrandWord(s: string, w: string): boolean {
  if (w.length < 6) return s.split(/[^a-z0-9]+/).includes(w);
  if (!w.includes('-')) return s.includes(w);
  // A domain written with dashes ("nta-go-jp") starts a word: "santa-go-jp" is not it.
  for (let at = s.indexOf(w); at >= 0; at = s.indexOf(w, at + 1))
    if (at === 0 || !/[a-z0-9]/.test(s[at - 1]!)) return true;
  return false;
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
  // Every profile asks for the same words of a mail: each word's skeleton is worked out once (bounded).
  let cache = skeletonCaches.get(map);
  if (!cache) {
    cache = new Map();
    skeletonCaches.set(map, cache);
  }
  let out = cache.get(s);
  if (out === undefined) {
    out = s.replace(re, (k) => map.get(k) ?? k);
    if (cache.size < 20_000) cache.set(s, out);
  }
  return out;
}
const skeletonCaches = new WeakMap<object, Map<string, string>>();

/** Words in a folded string that look like a brand word without being it (amaz0n, amazom, arnazon, aamzon). */
/** A look-alike hides in a sender name, an address or a subject: only their start is searched (a hostile mail can
 * fold a 1 MB Subject, and this runs once per brand profile). */
const LOOKALIKE_SCAN_CHARS = 4096;

/** A candidate word of a string: the word, its skeleton, and which brand words it was found to look like. */
interface Candidate {
  word: string;
  skeleton: string;
  like: Map<string, boolean>;
}

/** The distinct candidate words of a string with their skeletons, computed once for every brand profile. A mail
 * asks about a few strings (sender name, addresses, subject) in turn for every profile: the last few are kept. */
const recentCandidates = new WeakMap<CompiledLookalike, Map<string, Candidate[]>>();
function candidates(folded: string, lookalike: CompiledLookalike): Candidate[] {
  let recent = recentCandidates.get(lookalike);
  if (!recent) {
    recent = new Map();
    recentCandidates.set(lookalike, recent);
  }
  const known = recent.get(folded);
  if (known) return known;
  const seen = new Set<string>();
  const words: Candidate[] = [];
  for (const w of folded.slice(0, LOOKALIKE_SCAN_CHARS).split(/[^a-z0-9]+/)) {
    if (w.length < 4 || w.length > 12 || seen.has(w)) continue;
    seen.add(w);
    words.push({ word: w, skeleton: skeleton(w, lookalike), like: new Map() });
  }
  if (recent.size >= 16) recent.clear();
  recent.set(folded, words);
  return words;
}

/** Does a word's skeleton look like the brand word `b`? Remembered (bounded): mails repeat the same words. */
const matchCaches = new WeakMap<CompiledLookalike, Map<string, boolean>>();
function looksLike(sk: string, b: string, lookalike: CompiledLookalike): boolean {
  let cache = matchCaches.get(lookalike);
  if (!cache) {
    cache = new Map();
    matchCaches.set(lookalike, cache);
  }
  const key = `${sk}\u0000${b}`;
  let hit = cache.get(key);
  if (hit === undefined) {
    hit =
      sk === b ||
      (b.length >= 5 && editDistance(sk, b, 1) <= 1) ||
      (sk.startsWith(b) && sk !== b && lookalike.suffixes.has(sk.slice(b.length)));
    if (cache.size >= 50_000) cache.clear();
    cache.set(key, hit);
  }
  return hit;
}

export function lookalikeWords(folded: string, words: string[], lookalike: CompiledLookalike): string[] {
  const out: string[] = [];
  for (const c of candidates(folded, lookalike)) {
    // A brand's own word is not a look-alike of another ("paypal" of "paypay").
    if (words.includes(c.word)) continue;
    for (const b of words) {
      // Every profile asks about the same few words of a mail: each answer is kept with the word.
      let hit = c.like.get(b);
      if (hit === undefined) {
        hit = looksLike(c.skeleton, b, lookalike);
        c.like.set(b, hit);
      }
      if (hit) out.push(c.word);
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

export function buildContext(
  mail: ParsedMail,
  knowledge: CheckKnowledge,
  options: CheckOptions,
): CheckContext {
  const { folding, scoring } = knowledge;
  const html = mail.html ? summarizeHtml(mail.html, scoring.limits.maxLinks) : null;
  // The text OCR read from the mail's pictures (an image-only mail) is judged as part of the body.
  const pics = mailPictures(mail);
  const bodyText = [
    mail.text,
    html && (!mail.text || mail.text.length < html.text.length / 4) ? html.text : '',
    pics.text,
  ]
    .filter(Boolean)
    .join('\n');
  const body = makeTextView(bodyText, folding);
  const subject = makeTextView(mail.subject, folding);
  const { links, capped: bodyCapped } = extractLinks(bodyText, html, scoring.limits.maxLinks);
  const attached = pdfContent(mail, scoring.limits.maxTextChars, scoring.limits.maxLinks - links.length);
  links.push(...attached.links);
  // A QR code is a link the reader follows with a phone: the link rules judge it like any other.
  const qr = pics.qr.slice(0, Math.max(0, scoring.limits.maxLinks - links.length)).flatMap((q) => {
    const link = analyseTarget('qr', `QR code in ${q.where}`, q.target);
    return link ? [{ where: q.where, link }] : [];
  });
  links.push(...qr.map((q) => q.link));

  const pdf = attached.text ? makeTextView(attached.text, folding) : null;
  const documents = rtfContent(mail, scoring.limits.maxTextChars, scoring.limits.maxLinks - links.length);
  links.push(...documents.links);
  const rtf = documents.text ? makeTextView(documents.text, folding) : null;
  // The brand a PDF or document names is claimed by the mail that carries it (a bare "see the attachment" and an
  // Amazon PDF).
  const capped = bodyCapped || attached.capped || documents.capped;
  const claimBody =
    pdf || rtf
      ? makeTextView([bodyText, attached.text, documents.text].filter(Boolean).join('\n'), folding)
      : body;
  const fromAddress = mail.from?.address ?? '';
  const { host: fromHost, domain: fromDomain } = addressDomain(fromAddress);
  const fromAddresses: SenderAddress[] = (
    mail.fromAll.length || !fromAddress ? mail.fromAll : [{ name: '', address: fromAddress }]
  ).map((m) => ({ address: m.address, ...addressDomain(m.address), inName: m.inName === true }));
  // Every display name of the field claims: a reader shows them all ("Amazon, Support <…>").
  const names = mail.fromNames.length ? mail.fromNames.join(', ') : (mail.from?.name ?? '');
  const fromName = foldText(names, folding);
  const related = [mail.sender, ...mail.replyTo].filter((m): m is NonNullable<typeof m> => m !== null);
  const japanese = isJapanese(subject.original + body.original.slice(0, 20000));

  // Which watched brand does the mail present itself as?
  const lang = japanese
    ? 'ja'
    : (guessLanguage(`${subject.norm} ${body.norm.slice(0, 20000)}`, languageWords(knowledge.lists)) ?? 'en');
  const { merchant, claimVia } = claimedBrand(
    {
      fromName,
      fromAddress,
      fromHost,
      fromDomain,
      otherAddresses: fromAddresses.map((a) => a.address).filter((a) => a !== fromAddress),
      relatedNames: related.map((m) => foldText(m.name, folding)).filter(Boolean),
      relatedAddresses: related.map((m) => m.address).filter((a) => a.includes('@')),
      subject,
      body: claimBody,
      title: foldText(html?.title ?? '', folding)
        .replace(/\s+/g, ' ')
        .trim(),
      links,
      headerless: mail.headerless,
      lang,
    },
    knowledge,
  );

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
    shape: inputShape(mail, links),
    knowledge,
    subject,
    body,
    pdf,
    rtf,
    fromName,
    fromAddress,
    fromHost,
    fromDomain,
    fromAddresses,
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
    pictures: {
      qr,
      count: mail.attachments.filter((a) => a.image).length,
      visibleChars: visibleChars(mail, html?.text ?? ''),
    },
  };
}

/** One attached document's text and link targets, as read (a PDF by the reader port, an RTF here). */
interface DocumentReading {
  text: string;
  links: readonly string[];
  capped: boolean;
}

/**
 * What the attached documents of one kind say: their text (up to `maxChars` in all) and their links, the targets the
 * document holds and the URLs written in its text, as `attachment` links marked with the kind (up to `maxLinks`).
 * `read` gets the characters still allowed and gives null for an attachment that is not of the kind.
 */
function documentContent(
  mail: ParsedMail,
  document: 'pdf' | 'rtf',
  read: (a: ParsedMail['attachments'][number], charsLeft: number) => DocumentReading | null,
  maxChars: number,
  maxLinks: number,
): { text: string; links: Link[]; capped: boolean } {
  const texts: string[] = [];
  const links: Link[] = [];
  const seen = new Set<string>();
  let capped = false;
  let chars = 0;
  const add = (found: Link | null) => {
    if (!found || seen.has(found.target)) return;
    if (links.length >= maxLinks) {
      capped = true;
      return;
    }
    seen.add(found.target);
    links.push({ ...found, document });
  };
  for (const a of mail.attachments) {
    const reading = read(a, Math.max(0, maxChars - chars));
    if (!reading) continue;
    capped ||= reading.capped;
    chars += reading.text.length;
    if (reading.text) texts.push(reading.text);
    for (const target of reading.links) add(analyseTarget('attachment', '', target));
    for (const l of extractLinks(reading.text, null, Math.max(0, maxLinks)).links)
      add(analyseTarget('attachment', '', l.target));
  }
  return { text: texts.join('\n'), links, capped };
}

/** The attached PDFs, as the `PdfReader` read them before the check (a reading cut short is a note already). */
const pdfContent = (mail: ParsedMail, maxChars: number, maxLinks: number) =>
  documentContent(
    mail,
    'pdf',
    (a, left) => (a.pdf?.ok ? { text: a.pdf.text.slice(0, left), links: a.pdf.links, capped: false } : null),
    maxChars,
    maxLinks,
  );

/** The attached RTF documents (a `.rtf`, or a `.doc` that is RTF inside), read here: RTF is text. */
const rtfContent = (mail: ParsedMail, maxChars: number, maxLinks: number) =>
  documentContent(
    mail,
    'rtf',
    (a, left) => (a.content && left > 0 && isRtf(a.content) ? readRtf(a.content, left) : null),
    maxChars,
    maxLinks,
  );

/** The profile (the claimed brand's first) whose links go to this domain, or null. */
export function linkOwner(ctx: Pick<CheckContext, 'merchant' | 'knowledge'>, domain: string | null) {
  if (!domain) return null;
  if (ctx.merchant?.linkDomains.includes(domain)) return ctx.merchant;
  const owners = ctx.knowledge.merchants.filter((m) => m.linkDomains.includes(domain));
  // Several profiles may link to one domain (au and au PAY on au.com): the one whose storefront it is comes first.
  return owners.find((m) => m.storefront === domain) ?? owners[0] ?? null;
}

/** The host and registrable domain of an address, or null for either. */
export function addressDomain(address: string): { host: string | null; domain: string | null } {
  if (!address.includes('@')) return { host: null, domain: null };
  const host = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
  return { host, domain: registrableDomain(host) ?? null };
}

/** Is this link's domain one the claimed brand (or, with no claim, any watched brand) links to? */
export function isOwnLink(ctx: Pick<CheckContext, 'merchant' | 'knowledge'>, domain: string | null): boolean {
  if (!domain) return false;
  const merchants = ctx.merchant ? [ctx.merchant] : ctx.knowledge.merchants;
  return merchants.some((m) => m.linkDomains.includes(domain));
}
