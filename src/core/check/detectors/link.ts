import { registrableDomain } from '#core/mail/domain.ts';
import { hasSlashLookalike, shownHost, type Link } from '#core/mail/links.ts';
import { foldText } from '#core/text/normalize.ts';
import {
  hasBrandWord,
  isOwnLink,
  linkOwner,
  lookalikeWords,
  skeleton,
  watchedWords,
  type CheckContext,
} from '../context.ts';
import { MAX_HITS, fromLine, isOfficialSender } from './shared.ts';
import type { Detector, DetectorRegistry, Hit } from './types.ts';

// A link in an attached PDF is as clickable as one in the body (PDF readers open it), and a QR code as a phone does.
const clickable = (ctx: CheckContext) =>
  ctx.links.filter(
    (l) =>
      l.kind === 'anchor' ||
      l.kind === 'text' ||
      l.kind === 'form' ||
      l.kind === 'attachment' ||
      l.kind === 'qr',
  );

const linkEvidence = ({ kind, text, target, document }: Link) =>
  (kind === 'attachment' ? `${document ?? 'pdf'}: ` : '') +
  (text && text !== target ? `「${text.slice(0, 80)}」 → ${target.slice(0, 200)}` : target.slice(0, 200));

const linkTextMismatch: Detector<'link-text-mismatch'> = (ctx) => {
  const hits: Hit[] = [];
  for (const l of ctx.links) {
    if (l.kind !== 'anchor' || !l.host) continue;
    const shown = shownHost(l.text);
    if (!shown) continue;
    const shownDomain = registrableDomain(shown);
    if (!shownDomain || shownDomain === l.domain) continue;
    if (isOwnLink(ctx, shownDomain) && isOwnLink(ctx, l.domain)) continue;
    hits.push({
      evidence: linkEvidence(l),
      params: { shown: shownDomain, actual: l.domain ?? l.host },
    });
  }
  return hits.slice(0, MAX_HITS);
};

type LookalikeKind = 'brand-in-subdomain' | 'brand-in-domain' | 'lookalike' | null;
// A host's kind depends on the host and the knowledge only, and mails repeat hosts: each is worked out once (bounded).
const hostKinds = new WeakMap<CheckContext['knowledge'], Map<string, LookalikeKind>>();

const linkLookalike: Detector<'link-lookalike'> = (ctx) => {
  let kinds = hostKinds.get(ctx.knowledge);
  if (!kinds) {
    kinds = new Map();
    hostKinds.set(ctx.knowledge, kinds);
  }
  const hits: Hit[] = [];
  for (const l of ctx.links) {
    if (
      !l.host ||
      !l.domain ||
      isOwnLink(ctx, l.domain) ||
      ctx.knowledge.merchants.some((m) => m.linkDomains.includes(l.domain!))
    )
      continue;
    const key = `${l.host} ${l.unicodeHost ?? ''}`;
    let kind = kinds.get(key);
    if (kind === undefined) {
      kind = lookalikeKind(ctx, l.host, l.unicodeHost);
      if (kinds.size >= 20_000) kinds.clear();
      kinds.set(key, kind);
    }
    if (kind)
      hits.push({
        evidence: linkEvidence(l),
        params: { host: l.unicodeHost ?? l.host, kind },
      });
  }
  return hits.slice(0, MAX_HITS);
};

function lookalikeKind(
  ctx: CheckContext,
  host: string,
  unicodeHost: string | null | undefined,
): LookalikeKind {
  const { brand: words, lookalike: fuzzy } = watchedWords(ctx.knowledge.merchants);
  const folded = foldText(unicodeHost ?? host, ctx.knowledge.folding);
  const labels = folded.split('.');
  return labels.some((lb) => words.some((w) => lb === w))
    ? 'brand-in-subdomain'
    : labels.some((lb) =>
          words.some((w) => hasBrandWord(lb, w) || hasBrandWord(skeleton(lb, ctx.knowledge.lookalike), w)),
        )
      ? 'brand-in-domain'
      : lookalikeWords(folded, fuzzy, ctx.knowledge.lookalike).length ||
          (unicodeHost !== host && words.some((w) => hasBrandWord(folded, w)))
        ? 'lookalike'
        : null;
}

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
    if (!l.domain || !l.host || isOwnLink(ctx, l.domain) || seen.has(l.host)) continue;
    const key =
      p.match === 'domain'
        ? l.domain
        : p.match === 'tld'
          ? l.domain.slice(l.domain.lastIndexOf('.') + 1)
          : hostSuffixIn(l.host, list);
    if (!key || !list.has(key)) continue;
    seen.add(l.host);
    const params: Record<string, string> =
      p.match === 'tld'
        ? { domain: l.domain, tld: key }
        : p.match === 'domain'
          ? { domain: l.domain, entry: key }
          : { domain: l.host, entry: key };
    hits.push({ evidence: linkEvidence(l), params });
  }
  return hits.slice(0, MAX_HITS);
};

/** The entry of the list that the host is, or stands under (`x.y.workers.dev` → `workers.dev`). */
function hostSuffixIn(host: string, list: Set<string>): string | null {
  for (let at = 0; ;) {
    const suffix = host.slice(at);
    if (list.has(suffix)) return suffix;
    const dot = host.indexOf('.', at);
    if (dot < 0) return null;
    at = dot + 1;
  }
}

/** The path, query and fragment of a link, lower case, or '' when it has none. */
function pathOf(target: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([/?#].*)?$/i.exec(target.trim());
  const rest = m ? (m[1] ?? '') : target.replace(/^[^/?#]*/, '');
  try {
    return decodeURIComponent(rest).toLowerCase();
  } catch {
    return rest.toLowerCase();
  }
}

/**
 * A brand's own page copied onto a host its family does not own: one of its `linkPaths` (`/ap/signin`), or its own
 * domain written inside the path (`http://203.0.113.9/amazon.co.jp/signin`).
 */
type Merchants = CheckContext['knowledge']['merchants'];
interface BrandFamily {
  members: Merchants;
  linkDomains: ReadonlySet<string>;
  linkPaths: readonly string[];
}
// Each profile's family, its link domains and its brand paths, gathered once per knowledge (not per link and profile).
const familyTables = new WeakMap<Merchants, Map<Merchants[number], BrandFamily>>();
function familiesOf(merchants: Merchants): Map<Merchants[number], BrandFamily> {
  let table = familyTables.get(merchants);
  if (!table) {
    table = new Map();
    for (const m of merchants) {
      const members = m.family ? merchants.filter((x) => x.family === m.family) : [m];
      table.set(m, {
        members,
        linkDomains: new Set(members.flatMap((x) => x.linkDomains)),
        linkPaths: members.flatMap((x) => x.linkPaths),
      });
    }
    familyTables.set(merchants, table);
  }
  return table;
}

const linkBrandPath: Detector<'link-brand-path'> = (ctx) => {
  const { merchants } = ctx.knowledge;
  // The claimed brand first, so the finding names it rather than the first profile of its family.
  const ordered = ctx.merchant ? [ctx.merchant, ...merchants.filter((m) => m !== ctx.merchant)] : merchants;
  const families = familiesOf(merchants);
  const hits: Hit[] = [];
  for (const l of clickable(ctx)) {
    if (!l.host || isOwnLink(ctx, l.domain)) continue;
    const path = pathOf(l.target);
    if (path.length < 2) continue;
    for (const m of ordered) {
      const { members: family, linkDomains, linkPaths } = families.get(m)!;
      if (l.domain && linkDomains.has(l.domain)) continue;
      const own = linkPaths.find((lp) => path.startsWith(lp));
      const domainInPath = own ? null : m.linkDomains.find((d) => d.length >= 8 && domainWritten(path, d));
      if (!own && !domainInPath) continue;
      const named = m === ctx.merchant ? m : (family.find((x) => x.linkPaths.length) ?? m);
      hits.push({
        evidence: linkEvidence(l),
        params: {
          host: l.host,
          brand: named.name,
          merchant: named.id,
          path: own ?? domainInPath!,
          kind: own ? 'path' : 'domain-in-path',
        },
      });
      break;
    }
    if (hits.length >= MAX_HITS) break;
  }
  return hits;
};

/** A domain written as a whole inside a path (`/amazon.co.jp/signin`), not as part of a longer name. */
function domainWritten(path: string, domain: string): boolean {
  for (let at = path.indexOf(domain); at >= 0; at = path.indexOf(domain, at + 1)) {
    const before = path[at - 1] ?? '/';
    const after = path[at + domain.length] ?? '/';
    if (/[/=.@]/.test(before) && /[/?#&]/.test(after)) return true;
  }
  return false;
}

/** Sign-in or payment words in the path of a link to a site no watched brand owns (`/login`, `/verify-billing`). */
const linkPathWords: Detector<'link-path-words'> = (ctx, p) => {
  const list = ctx.knowledge.lists.get(p.list);
  if (!list) throw new Error(`list ${p.list} is not defined`);
  const hits: Hit[] = [];
  for (const l of clickable(ctx)) {
    if (!l.host || isOwnLink(ctx, l.domain)) continue;
    if (l.domain && ctx.knowledge.merchants.some((m) => m.linkDomains.includes(l.domain!))) continue;
    const words = new Set<string>();
    for (const seg of pathOf(l.target).split(/[^a-z0-9_-]+/)) {
      if (!seg) continue;
      words.add(seg.replace(/[-_]/g, ''));
      for (const w of seg.split(/[-_]+/)) if (w) words.add(w);
    }
    const found = [...words].filter((w) => list.has(w));
    if (!found.length) continue;
    hits.push({
      evidence: linkEvidence(l),
      params: { host: l.host, words: found.slice(0, 4).join(', ') },
    });
    if (hits.length >= MAX_HITS) break;
  }
  return hits;
};

/** A link checked on its own is on a watched brand's own site: named, so the verdict can say whose. */
const linkOfficial: Detector<'link-official'> = (ctx) => {
  const web = clickable(ctx).filter((l) => l.host);
  if (!web.length) return [];
  const hits: Hit[] = [];
  for (const l of web) {
    const owner = l.userinfo || l.ip ? null : linkOwner(ctx, l.domain);
    if (!owner) return [];
    hits.push({ evidence: l.target.slice(0, 200), params: { brand: owner.name, domain: l.domain! } });
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
  'link-brand-path': linkBrandPath,
  'link-path-words': linkPathWords,
  'link-official': linkOfficial,
} satisfies Partial<DetectorRegistry>;
