import { getDomain } from 'tldts';
import { hasSlashLookalike, shownHost, type Link } from '#core/mail/links.ts';
import { foldText } from '#core/text/normalize.ts';
import {
  hasBrandWord,
  isOwnLink,
  lookalikeWords,
  skeleton,
  watchedWords,
  type CheckContext,
} from '../context.ts';
import { MAX_HITS, fromLine, isOfficialSender } from './shared.ts';
import type { Detector, DetectorRegistry, Hit } from './types.ts';

// A link in an attached PDF is as clickable as one in the body (PDF readers open it).
const clickable = (ctx: CheckContext) =>
  ctx.links.filter(
    (l) => l.kind === 'anchor' || l.kind === 'text' || l.kind === 'form' || l.kind === 'attachment',
  );

const linkEvidence = ({ kind, text, target }: Link) =>
  (kind === 'attachment' ? 'pdf: ' : '') +
  (text && text !== target ? `「${text.slice(0, 80)}」 → ${target.slice(0, 200)}` : target.slice(0, 200));

const linkTextMismatch: Detector<'link-text-mismatch'> = (ctx) => {
  const hits: Hit[] = [];
  for (const l of ctx.links) {
    if (l.kind !== 'anchor' || !l.host) continue;
    const shown = shownHost(l.text);
    if (!shown) continue;
    const shownDomain = getDomain(shown);
    if (!shownDomain || shownDomain === l.domain) continue;
    if (isOwnLink(ctx, shownDomain) && isOwnLink(ctx, l.domain)) continue;
    hits.push({
      evidence: linkEvidence(l),
      params: { shown: shownDomain, actual: l.domain ?? l.host },
    });
  }
  return hits.slice(0, MAX_HITS);
};

const linkLookalike: Detector<'link-lookalike'> = (ctx) => {
  const { brand: words, lookalike: fuzzy } = watchedWords(ctx.knowledge.merchants);
  const hits: Hit[] = [];
  for (const l of ctx.links) {
    if (
      !l.host ||
      !l.domain ||
      isOwnLink(ctx, l.domain) ||
      ctx.knowledge.merchants.some((m) => m.linkDomains.includes(l.domain!))
    )
      continue;
    const folded = foldText(l.unicodeHost ?? l.host, ctx.knowledge.folding);
    const labels = folded.split('.');
    const kind = labels.some((lb) => words.some((w) => lb === w))
      ? 'brand-in-subdomain'
      : labels.some((lb) =>
            words.some((w) => hasBrandWord(lb, w) || hasBrandWord(skeleton(lb, ctx.knowledge.lookalike), w)),
          )
        ? 'brand-in-domain'
        : lookalikeWords(folded, fuzzy, ctx.knowledge.lookalike).length ||
            (l.unicodeHost !== l.host && words.some((w) => hasBrandWord(folded, w)))
          ? 'lookalike'
          : null;
    if (kind)
      hits.push({
        evidence: linkEvidence(l),
        params: { host: l.unicodeHost ?? l.host, kind },
      });
  }
  return hits.slice(0, MAX_HITS);
};

const linkIp: Detector<'link-ip'> = (ctx) =>
  ctx.links
    .filter((l) => l.ip && l.kind !== 'image')
    .slice(0, MAX_HITS)
    .map((l) => ({ evidence: linkEvidence(l), params: { host: l.host ?? '' } }));

const linkUserinfo: Detector<'link-userinfo'> = (ctx) =>
  ctx.links
    .filter((l) => l.userinfo || hasSlashLookalike(l.target))
    .slice(0, MAX_HITS)
    .map((l) => ({
      evidence: linkEvidence(l),
      params: { host: l.host ?? '', trick: l.userinfo ? 'userinfo' : 'slash' },
    }));

const linkInList: Detector<'link-in-list'> = (ctx, p) => {
  const list = ctx.knowledge.lists.get(p.list);
  if (!list) throw new Error(`list ${p.list} is not defined`);
  const hits: Hit[] = [];
  const seen = new Set<string>();
  for (const l of clickable(ctx)) {
    if (!l.domain || isOwnLink(ctx, l.domain) || seen.has(l.domain)) continue;
    const key = p.match === 'domain' ? l.domain : l.domain.slice(l.domain.lastIndexOf('.') + 1);
    if (!list.has(key)) continue;
    seen.add(l.domain);
    hits.push({ evidence: linkEvidence(l), params: { domain: l.domain, tld: key } });
  }
  return hits.slice(0, MAX_HITS);
};

const linkPunycode: Detector<'link-punycode'> = (ctx) =>
  clickable(ctx)
    .filter((l) => l.host?.split('.').some((x) => x.startsWith('xn--')) && !isOwnLink(ctx, l.domain))
    .slice(0, MAX_HITS)
    .map((l) => ({
      evidence: linkEvidence(l),
      params: { host: l.host!, unicode: l.unicodeHost ?? '' },
    }));

/** The mail presents itself as the brand, yet its links lead to other sites. */
const linkOffBrand: Detector<'link-off-brand'> = (ctx, p) => {
  if (!ctx.merchant) return [];
  const foreign = new Map<string, Hit>();
  for (const l of clickable(ctx)) {
    if (!l.domain || isOwnLink(ctx, l.domain) || p.ignore.includes(l.domain) || foreign.has(l.domain))
      continue;
    foreign.set(l.domain, { evidence: linkEvidence(l), params: { domain: l.domain } });
  }
  const hits = [...foreign.values()];
  return hits.slice(0, MAX_HITS).map((h) => ({
    ...h,
    params: { ...h.params, count: hits.length, domains: [...foreign.keys()].slice(0, 8).join(', ') },
  }));
};

const cdnImageForeignSender: Detector<'cdn-image-foreign-sender'> = (ctx) => {
  if (ctx.authenticated || isOfficialSender(ctx, ctx.fromDomain) || ctx.mail.headerless) return [];
  const cdn = new Set(ctx.knowledge.merchants.flatMap((m) => m.cdnDomains));
  const img = ctx.links.find((l) => l.kind === 'image' && l.domain && cdn.has(l.domain));
  return img
    ? [
        {
          evidence: `${fromLine(ctx)} / <img src="${img.target.slice(0, 160)}">`,
          params: { domain: img.domain! },
        },
      ]
    : [];
};

/** Where the links lead: shown text against the real target, look-alike and listed hosts, off-brand sites. */
export const linkDetectors = {
  'link-text-mismatch': linkTextMismatch,
  'link-lookalike': linkLookalike,
  'link-ip': linkIp,
  'link-userinfo': linkUserinfo,
  'link-in-list': linkInList,
  'link-punycode': linkPunycode,
  'link-off-brand': linkOffBrand,
  'cdn-image-foreign-sender': cdnImageForeignSender,
} satisfies Partial<DetectorRegistry>;
