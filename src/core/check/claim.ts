import type { CheckKnowledge } from '#core/knowledge/compile.ts';
import type { Merchant } from '#core/knowledge/schema.ts';
import type { Link } from '#core/mail/links.ts';
import { foldText, type TextView } from '#core/text/normalize.ts';
import { lookalikeWords, obfuscatedMentions, type ClaimVia } from './context.ts';

/** What the claim is read from. */
export interface ClaimInput {
  fromName: string;
  fromAddress: string;
  fromHost: string | null;
  fromDomain: string | null;
  subject: TextView;
  body: TextView;
  links: readonly Link[];
  headerless: boolean;
  /** The mail's language (two letters), as far as it can be told. */
  lang: string;
}

export interface Claim {
  merchant: Merchant | null;
  claimVia: ClaimVia[];
}

// A Latin token shorter than this ("jcb", "au pay", "apple") counts only as a word of its own: it hides inside
// ordinary words ("pineapple", "beau payne").
const SHORT = 6;
const LATIN = /^[\x20-\x7e]+$/;
const wordPatterns = new Map<string, RegExp>();

function isShortLatin(t: string): boolean {
  return LATIN.test(t) && t.replace(/[\s.]/g, '').length < SHORT;
}

function wordPattern(t: string): RegExp {
  let re = wordPatterns.get(t);
  if (!re) {
    re = new RegExp(`(?<![a-z0-9])${t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![a-z0-9])`, 'g');
    wordPatterns.set(t, re);
  }
  return re;
}

function mentions(haystack: string, token: string): number {
  if (!token) return 0;
  let n = 0;
  for (let i = haystack.indexOf(token); i >= 0; i = haystack.indexOf(token, i + token.length)) n++;
  return n;
}

/** How often a folded token is written in a text (norm: spaces kept; compact: none). */
function count(norm: string, compact: string, t: string): number {
  let shape = tokenShapes.get(t);
  if (!shape) {
    shape = isShortLatin(t) ? { word: wordPattern(t) } : { compact: t.replace(/\s+/g, '') };
    if (tokenShapes.size < 10_000) tokenShapes.set(t, shape);
  }
  if (shape.word) return norm.match(shape.word)?.length ?? 0;
  return mentions(compact, shape.compact!);
}
const tokenShapes = new Map<string, { word?: RegExp; compact?: string }>();

// How strongly each place claims a brand, to decide between brands a mail names (the sender name over a
// passing mention in the body).
const STRENGTH: Partial<Record<ClaimVia, number>> = {
  'from-name': 8,
  subject: 4,
  'from-address': 2,
  body: 1,
};

interface Candidate {
  m: Merchant;
  via: ClaimVia[];
  strength: number;
  mentions: number;
}

const familyOf = (m: Merchant) => m.family ?? m.id;

/** A function of one string, worked out once per distinct argument (for the life of one mail's claim). */
function memoized(f: (key: string) => number): (key: string) => number {
  const seen = new Map<string, number>();
  return (key) => {
    let n = seen.get(key);
    if (n === undefined) {
      n = f(key);
      seen.set(key, n);
    }
    return n;
  };
}

// The other profiles' names of a profile's family, once per knowledge (the family never changes).
const familyTokenSets = new WeakMap<Merchant, Set<string>>();
function familyTokens(m: Merchant, others: readonly Merchant[], knowledge: CheckKnowledge): Set<string> {
  let set = familyTokenSets.get(m);
  if (!set) {
    set = new Set(others.flatMap((o) => foldedOfMerchant(o, knowledge).compactTokens));
    familyTokenSets.set(m, set);
  }
  return set;
}

// A profile's words folded once per knowledge, not once per mail.
const foldedTokens = new WeakMap<
  Merchant,
  { tokens: string[]; compactTokens: string[]; nameTokens: string[]; subjectPhrases: string[] }
>();
function foldedOfMerchant(m: Merchant, knowledge: CheckKnowledge) {
  let f = foldedTokens.get(m);
  if (!f) {
    const fold = (t: string) => foldText(t, knowledge.folding);
    const tokens = m.brandTokens.map(fold);
    f = {
      tokens,
      compactTokens: tokens.map((t) => t.replace(/\s+/g, '')),
      nameTokens: m.senderNameTokens.map(fold),
      subjectPhrases: m.subjectPhrases.map(fold),
    };
    foldedTokens.set(m, f);
  }
  return f;
}
const tld = (d: string) => d.slice(d.lastIndexOf('.') + 1);

/**
 * The brand the mail presents itself as: of every profile it claims (sender name, address, subject, body,
 * images with link text), the brand it claims most strongly; between profiles of one brand (Amazon's
 * storefronts), the one its own words, sender domain and language point to.
 */
export function claimedBrand(input: ClaimInput, knowledge: CheckKnowledge): Claim {
  const { folding, scoring } = knowledge;
  const { fromName, subject, body, links } = input;
  const freemail = knowledge.lists.get('freemail');
  // On a free or carrier mail domain the address's domain is the provider's, not a claim ("…@docomo.ne.jp").
  const address =
    (input.fromDomain && freemail?.has(input.fromDomain)) || (input.fromHost && freemail?.has(input.fromHost))
      ? input.fromAddress.slice(0, input.fromAddress.lastIndexOf('@'))
      : input.fromAddress;
  const foldedAddress = foldText(address, folding);
  const compactName = fromName.replace(/[\s.]+/g, '');
  const nameWords = new Set(fromName.split(/[^\p{L}\p{N}]+/u));
  const letterheadNorm = body.norm.slice(0, 100);
  const letterheadCompact = body.compact.slice(0, 80);
  // Folded once, not once per profile: an anchor's text can be most of a hostile mail.
  const anchorTexts = links.filter((l) => l.kind === 'anchor').map((l) => foldText(l.text, folding));
  const candidates: Candidate[] = [];
  // Profiles of one brand share most tokens and look-alike words: each is counted in each place once per mail.
  const inName = memoized((t) => count(fromName, fromName, t));
  const inAddress = memoized((t) => count(foldedAddress, foldedAddress, t));
  const inSubject = memoized((t) => count(subject.norm, subject.compact, t));
  const inBody = memoized((t) => count(body.norm, body.compact, t));
  const inLetterhead = memoized((t) => count(letterheadNorm, letterheadCompact, t));
  const inAnchors = anchorTexts.map((text) => memoized((t) => count(text, text, t)));
  const lookalikesIn = (text: string) =>
    memoized((words) => lookalikeWords(text, words ? words.split(' ') : [], knowledge.lookalike).length);
  const lookalikesInName = lookalikesIn(fromName);
  const lookalikesInAddress = lookalikesIn(foldedAddress);
  const lookalikesInSubject = lookalikesIn(subject.norm);
  const disguisedIn = memoized((w) => obfuscatedMentions(body, w) + obfuscatedMentions(subject, w));
  for (const m of knowledge.merchants) {
    const { tokens, nameTokens, subjectPhrases } = foldedOfMerchant(m, knowledge);
    const words = m.lookalikeWords;
    const via: ClaimVia[] = [];
    if (
      tokens.some((t) =>
        isShortLatin(t) ? inName(t) > 0 : fromName.includes(t) || compactName.includes(t.replace(/\./g, '')),
      ) ||
      lookalikesInName(words.join(' ')) ||
      nameTokens.some((t) => nameWords.has(t))
    )
      via.push('from-name');
    if (
      tokens.some((t) => inAddress(t) > 0) ||
      lookalikesInAddress(words.join(' ')) ||
      (input.fromDomain && m.senderDomains.includes(input.fromDomain))
    )
      via.push('from-address');
    if (
      tokens.some((t) => inSubject(t) > 0) ||
      lookalikesInSubject(words.join(' ')) ||
      subjectPhrases.some((ph) => subject.norm.includes(ph))
    )
      via.push('subject');
    const bodyMentions = tokens.reduce((n, t) => n + inBody(t), 0);
    // Writing the brand in disguise is itself a claim to be it.
    const disguised = words.some((w) => disguisedIn(w) > 0);
    // The brand at the very top of the body is a logo or letterhead: the mail presents itself as the brand.
    const letterhead = tokens.some((t) => inLetterhead(t) > 0);
    if (bodyMentions >= (input.headerless ? 1 : scoring.bodyMentionsForClaim) || disguised || letterhead)
      via.push('body');
    if (links.some((l) => l.kind === 'image' && l.domain && m.cdnDomains.includes(l.domain)))
      via.push('images');
    if (inAnchors.some((inAnchor) => tokens.some((t) => inAnchor(t) > 0))) via.push('link-text');
    const claims =
      via.some((v) => v === 'from-name' || v === 'from-address' || v === 'subject' || v === 'body') ||
      (via.includes('images') && via.includes('link-text'));
    if (!claims) continue;
    const strength =
      via.reduce((s, v) => s + (STRENGTH[v] ?? 0), 0) +
      (via.includes('images') && via.includes('link-text') ? 1 : 0);
    candidates.push({ m, via, strength, mentions: bodyMentions });
  }
  if (candidates.length === 0) return { merchant: null, claimVia: [] };

  // Between brands: the one claimed most strongly, then the one named most often; first profile on a tie.
  const families = new Map<string, { strength: number; mentions: number; members: Candidate[] }>();
  for (const c of candidates) {
    const f = families.get(familyOf(c.m)) ?? { strength: 0, mentions: 0, members: [] };
    f.strength = Math.max(f.strength, c.strength);
    f.mentions = Math.max(f.mentions, c.mentions);
    f.members.push(c);
    families.set(familyOf(c.m), f);
  }
  let best: { strength: number; mentions: number; members: Candidate[] } | null = null;
  for (const f of families.values())
    if (!best || f.strength > best.strength || (f.strength === best.strength && f.mentions > best.mentions))
      best = f;
  const members = best!.members;
  if (members.length === 1) return { merchant: members[0]!.m, claimVia: members[0]!.via };

  // Between profiles of one brand: a name only this one uses (amazon.de, アマゾン, 楽天カード), a sender domain
  // only this one sends from, the mail's language, then the sender's country domain.
  const family = knowledge.merchants.filter((m) => familyOf(m) === familyOf(members[0]!.m));
  const seenRaw = `${fromName} ${foldedAddress} ${subject.compact} ${body.compact.slice(0, 20000)}`;
  let chosen = members[0]!;
  let bestFit = -1;
  for (const c of members) {
    const m = c.m;
    const others = family.filter((o) => o !== m);
    const mine = foldedOfMerchant(m, knowledge).compactTokens;
    const theirs = familyTokens(m, others, knowledge);
    let specific = 0;
    for (const t of mine) {
      if (theirs.has(t)) continue;
      // A longer name of another profile that contains this one is not this one ("amazon.com.mx", "楽天カード").
      let seen = seenRaw;
      for (const o of theirs) if (o.length > t.length && o.includes(t)) seen = seen.split(o).join(' ');
      if (seen.includes(t)) specific++;
    }
    const d = input.fromDomain;
    const ownSender =
      d !== null && m.senderDomains.includes(d) && !others.some((o) => o.senderDomains.includes(d));
    const countryTld = tld(m.storefront);
    const fit =
      (specific ? 4 + specific - 1 : 0) +
      (ownSender ? 8 : 0) +
      (m.languages.includes(input.lang) ? 2 : 0) +
      (m.defaultFor.includes(input.lang) ? 1 : 0) +
      (d !== null && countryTld.length === 2 && tld(d) === countryTld ? 1 : 0);
    if (fit > bestFit) {
      bestFit = fit;
      chosen = c;
    }
  }
  return { merchant: chosen.m, claimVia: chosen.via };
}
