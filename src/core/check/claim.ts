import type { CheckKnowledge } from '#core/knowledge/compile.ts';
import type { Merchant } from '#core/knowledge/schema.ts';
import type { Link } from '#core/mail/links.ts';
import { foldText, type Folding, type TextView } from '#core/text/normalize.ts';
import {
  addressDomain,
  brandNames,
  dashedStorefront,
  lookalikeWords,
  obfuscatedMentions,
  skeleton,
  type ClaimVia,
} from './context.ts';

/** What the claim is read from. */
export interface ClaimInput {
  fromName: string;
  fromAddress: string;
  fromHost: string | null;
  fromDomain: string | null;
  /** The From field's other addresses (several, or written in the name): each claims as the address does. */
  otherAddresses: readonly string[];
  /** Folded names and the addresses of the Sender and Reply-To fields. */
  relatedNames: readonly string[];
  relatedAddresses: readonly string[];
  subject: TextView;
  body: TextView;
  /** The HTML document's title, folded ('' when none). */
  title?: string;
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

/** A folded token as a word of its own in a folded name. */
function hasWord(name: string, token: string): boolean {
  return name.split(/[^\p{L}\p{N}]+/u).includes(token);
}

/** How often a folded token is written in a text (norm: spaces kept; compact: none). */
function count(norm: string, compact: string, t: string, wholeWord = false): number {
  let shape = tokenShapes.get(t);
  if (!shape) {
    shape = isShortLatin(t) || wholeWord ? { word: wordPattern(t) } : { compact: t.replace(/\s+/g, '') };
    if (tokenShapes.size < 10_000) tokenShapes.set(t, shape);
  }
  if (shape.word) return norm.match(shape.word)?.length ?? 0;
  return mentions(compact, shape.compact!);
}
const tokenShapes = new Map<string, { word?: RegExp; compact?: string }>();

// The other profiles' names of a profile's family, once per knowledge (the family never changes).
const familyTokenSets = new WeakMap<Merchant, Set<string>>();
function familyTokens(m: Merchant, others: readonly Merchant[], folding: Folding): Set<string> {
  let set = familyTokenSets.get(m);
  if (!set) {
    set = new Set(others.flatMap((o) => compactTokens(o, folding)));
    familyTokenSets.set(m, set);
  }
  return set;
}

// A profile's names folded and without spaces, once per knowledge.
const compactTokenLists = new WeakMap<Merchant, { folding: Folding; tokens: string[] }>();
function compactTokens(m: Merchant, folding: Folding): string[] {
  const cached = compactTokenLists.get(m);
  if (cached && cached.folding === folding) return cached.tokens;
  const tokens = brandNames(m).map((t) => foldText(t, folding).replace(/\s+/g, ''));
  compactTokenLists.set(m, { folding, tokens });
  return tokens;
}

// How strongly each place claims a brand, to decide between brands a mail names (the sender name over a
// passing mention in the body).
const STRENGTH: Partial<Record<ClaimVia, number>> = {
  'from-name': 8,
  subject: 4,
  'from-address': 2,
  'sender-header': 2,
  body: 1,
};

interface Candidate {
  m: Merchant;
  via: ClaimVia[];
  strength: number;
  mentions: number;
}

const familyOf = (m: Merchant) => m.family ?? m.id;

// A profile's names folded once per knowledge, not once per mail (they never change).
interface FoldedNames {
  tokens: string[];
  senderNameTokens: string[];
  senderNameOnly: string[];
  subjectPhrases: string[];
  /** Names that count only as a word of their own (the dashed storefront). */
  wholeWords: Set<string>;
  /** Each name as written, without its spaces and without its dots: one of them is in any text that names it. */
  forms: string[];
}
const foldedNames = new WeakMap<Merchant, { folding: Folding; names: FoldedNames }>();
function namesOf(m: Merchant, folding: Folding): FoldedNames {
  const cached = foldedNames.get(m);
  if (cached && cached.folding === folding) return cached.names;
  const f = (xs: readonly string[]) => xs.map((t) => foldText(t, folding));
  const names = {
    tokens: f(brandNames(m)),
    senderNameTokens: f(m.senderNameTokens),
    senderNameOnly: f(m.senderNameOnly),
    subjectPhrases: f(m.subjectPhrases),
    wholeWords: new Set(f([dashedStorefront(m) ?? ''].filter(Boolean))),
    forms: [] as string[],
  };
  names.forms = [
    ...new Set(names.tokens.flatMap((t) => [t, t.replace(/\s+/g, ''), t.replace(/\./g, '')])),
    ...new Set(names.subjectPhrases.flatMap((ph) => [ph, ph.replace(/\s+/g, '')])),
  ];
  foldedNames.set(m, { folding, names });
  return names;
}

/** `count`, remembered for one mail: the storefronts of a brand share their names, and each is counted once. */
function counter(view: { norm: string; compact: string }): (t: string, wholeWord: boolean) => number {
  const seen = new Map<string, number>();
  return (t, wholeWord) => {
    let n = seen.get(t);
    if (n === undefined) {
      n = count(view.norm, view.compact, t, wholeWord);
      seen.set(t, n);
    }
    return n;
  };
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
  const claimText = (a: string) => {
    const { host, domain } = addressDomain(a);
    return (domain && freemail?.has(domain)) || (host && freemail?.has(host))
      ? foldText(a.slice(0, a.lastIndexOf('@')), folding)
      : foldText(a, folding);
  };
  const foldedAddress = claimText(input.fromAddress);
  const addressTexts = [foldedAddress, ...input.otherAddresses.map(claimText)];
  const addressDomains = [input.fromDomain, ...input.otherAddresses.map((a) => addressDomain(a).domain)];
  const relatedDomains = input.relatedAddresses.map((a) => addressDomain(a).domain);
  const compactName = fromName.replace(/[\s.]+/g, '');
  // A name written in spaced single letters ("D P D Versand") is the word it spells.
  const despacedName = fromName.replace(/(?<![\p{L}\p{N}])(\p{L}) +(?=\p{L}(?![\p{L}\p{N}]))/gu, '$1');
  const nameWords = new Set(fromName.split(/[^\p{L}\p{N}]+/u).filter(Boolean));
  // Look-alike spellings of a sender-name word (Pr1me, Kirndle): compared by skeleton, i and l read alike.
  const spelled = (w: string) => skeleton(w, knowledge.lookalike).replace(/[i1]/g, 'l');
  const nameSkeletons = new Set([...nameWords].filter((w) => /^[a-z0-9]{5,}$/.test(w)).map(spelled));
  const wholeName = fromName.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  const nameToken = (t: string) =>
    nameWords.has(t) || (/^[a-z]{5,}$/.test(t) && nameSkeletons.has(spelled(t)));
  // Folded once, not once per profile: a hostile mail's link texts can be long.
  const anchorTexts = links.filter((l) => l.kind === 'anchor').map((l) => foldText(l.text, folding));
  const letterheadNorm = body.norm.slice(0, 100);
  const title = input.title ?? '';
  const letterheadCompact = body.compact.slice(0, 80);
  const inSubject = counter(subject);
  const inBody = counter(body);
  const inLetterhead = counter({ norm: letterheadNorm, compact: letterheadCompact });
  const inTitle = counter({ norm: title, compact: title.replace(/\s+/g, '') });
  const disguisedWords = new Map<string, boolean>();
  const isDisguised = (w: string) => {
    let d = disguisedWords.get(w);
    if (d === undefined) {
      d = obfuscatedMentions(body, w) + obfuscatedMentions(subject, w) > 0;
      disguisedWords.set(w, d);
    }
    return d;
  };
  // The related addresses as claim texts, folded once (not once per profile).
  const relatedAddressTexts = input.relatedAddresses.map((a) => ({
    domain: addressDomain(a).domain ?? '',
    text: claimText(a),
  }));
  // Every text a name is looked for in, joined: a profile none of whose names is written anywhere in it, which has
  // no look-alike words and whose domains the mail does not use, cannot be claimed, and is passed over at once.
  // The subject, title and body count in their spaceless forms: a name in a text is, without its spaces, in the
  // text without spaces, so each name is also looked for without its spaces (and without its dots, as in the name).
  const everywhere = [
    fromName,
    despacedName,
    compactName,
    ...addressTexts,
    ...input.relatedNames,
    ...relatedAddressTexts.map((r) => r.text),
    subject.compact,
    title.replace(/\s+/g, ''),
    ...anchorTexts,
    body.compact,
  ].join('\u0000');
  const written = new Map<string, boolean>();
  const isWritten = (t: string) => {
    let w = written.get(t);
    if (w === undefined) {
      w = everywhere.includes(t);
      written.set(t, w);
    }
    return w;
  };
  const mailDomains = new Set(
    [
      ...addressDomains,
      ...relatedDomains,
      ...links.filter((l) => l.kind === 'image').map((l) => l.domain),
    ].filter((d): d is string => !!d),
  );
  const mayClaim = (m: Merchant, folded: FoldedNames) =>
    m.lookalikeWords.length > 0 ||
    folded.forms.some(isWritten) ||
    folded.senderNameTokens.some((t) => isWritten(t) || (nameSkeletons.size > 0 && /^[a-z]{5,}$/.test(t))) ||
    folded.senderNameOnly.some((t) => wholeName === t) ||
    m.senderDomains.some((d) => mailDomains.has(d)) ||
    m.cdnDomains.some((d) => mailDomains.has(d));
  const candidates: Candidate[] = [];
  for (const m of knowledge.merchants) {
    const folded = namesOf(m, folding);
    if (!mayClaim(m, folded)) continue;
    const tokens = folded.tokens;
    const whole = folded.wholeWords;
    const words = m.lookalikeWords;
    const via: ClaimVia[] = [];
    if (
      tokens.some((t) =>
        isShortLatin(t)
          ? count(fromName, fromName, t) > 0 || count(despacedName, despacedName, t) > 0
          : fromName.includes(t) || compactName.includes(t.replace(/\./g, '')),
      ) ||
      lookalikeWords(fromName, words, knowledge.lookalike).length ||
      folded.senderNameTokens.some(nameToken) ||
      folded.senderNameOnly.some((t) => wholeName === t)
    )
      via.push('from-name');
    const claimsIn = (text: string) =>
      tokens.some((t) => count(text, text, t, whole.has(t)) > 0) ||
      lookalikeWords(text, words, knowledge.lookalike).length > 0;
    if (addressTexts.some(claimsIn) || addressDomains.some((d) => d !== null && m.senderDomains.includes(d)))
      via.push('from-address');
    // A mailing service's own address (…@amazonses.com as Sender) is the route, not a claim.
    const relatedTexts = [
      ...input.relatedNames,
      ...relatedAddressTexts.filter((r) => !m.infrastructureDomains.includes(r.domain)).map((r) => r.text),
    ];
    if (
      relatedTexts.some((text) => claimsIn(text) || folded.senderNameTokens.some((t) => hasWord(text, t))) ||
      relatedDomains.some((d) => d !== null && m.senderDomains.includes(d))
    )
      via.push('sender-header');
    if (
      tokens.some((t) => inSubject(t, whole.has(t)) > 0) ||
      lookalikeWords(subject.norm, words, knowledge.lookalike).length ||
      folded.subjectPhrases.some((ph) => subject.norm.includes(ph))
    )
      via.push('subject');
    const bodyMentions = tokens.reduce((n, t) => n + inBody(t, whole.has(t)), 0);
    // Writing the brand in disguise is itself a claim to be it.
    const disguised = words.some(isDisguised);
    // The brand at the very top of the body is a logo or letterhead: the mail presents itself as the brand.
    // So is the brand as the HTML document's title: a copied template keeps it.
    const letterhead = tokens.some(
      (t) => inLetterhead(t, whole.has(t)) > 0 || (title !== '' && inTitle(t, whole.has(t)) > 0),
    );
    if (bodyMentions >= (input.headerless ? 1 : scoring.bodyMentionsForClaim) || disguised || letterhead)
      via.push('body');
    if (links.some((l) => l.kind === 'image' && l.domain && m.cdnDomains.includes(l.domain)))
      via.push('images');
    if (anchorTexts.some((text) => tokens.some((t) => count(text, text, t, whole.has(t)) > 0)))
      via.push('link-text');
    const claims =
      via.some(
        (v) =>
          v === 'from-name' ||
          v === 'from-address' ||
          v === 'sender-header' ||
          v === 'subject' ||
          v === 'body',
      ) ||
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
    const mine = compactTokens(m, folding);
    const theirs = familyTokens(m, others, folding);
    let specific = 0;
    for (const t of mine) {
      // Names are compact (no spaces), so cutting other names out of the text never makes one appear.
      if (theirs.has(t) || !seenRaw.includes(t)) continue;
      // A longer name of another profile that contains this one is not this one ("amazon.com.mx", "楽天カード").
      let seen = seenRaw;
      for (const o of theirs)
        if (o.length > t.length && o.includes(t) && seen.includes(o)) seen = seen.split(o).join(' ');
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
