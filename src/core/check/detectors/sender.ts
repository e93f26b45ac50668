import { registrableDomain } from '#core/mail/domain.ts';
import { foldText } from '#core/text/normalize.ts';
import { hasBrandWord, lookalikeWords, watchedWords } from '../context.ts';
import type { CheckContext } from '../context.ts';
import { MAX_HITS, allOfficial, fromLine, isOfficialSender } from './shared.ts';
import type { Detector, DetectorRegistry, Hit } from './types.ts';

/** The From field's real addresses (not those only written in its name). */
const realAddresses = (ctx: CheckContext) =>
  ctx.fromAddresses.filter((a) => !a.inName && a.address.includes('@'));

const brandNameForeignDomain: Detector<'brand-name-foreign-domain'> = (ctx) => {
  const merchant = ctx.merchant;
  if (!merchant || !ctx.claimVia.includes('from-name')) return [];
  const real = realAddresses(ctx);
  if (real.length === 0)
    return [{ evidence: fromLine(ctx), params: { domain: ctx.fromAddress, brand: merchant.name } }];
  // Any address of the field a reader may be shown, not only the first.
  return real
    .filter((a) => !(a.domain && merchant.senderDomains.includes(a.domain)))
    .slice(0, MAX_HITS)
    .map((a) => ({
      evidence: fromLine(ctx),
      params: { domain: a.domain ?? a.address, brand: merchant.name },
    }));
};

/** A sender domain that imitates the brand: amaz0n.co, amazon-security.jp, amazon.co.jp.evil.cn. */
const senderLookalikeDomain: Detector<'sender-lookalike-domain'> = (ctx) => {
  const words = watchedWords(ctx.knowledge.merchants);
  const hits: Hit[] = [];
  for (const a of ctx.fromAddresses) {
    if (!a.host || !a.domain || isOfficialSender(ctx, a.domain)) continue;
    // On a provider's domain anyone can get (tenant.onmicrosoft.com), only the part the sender chose can imitate.
    const own = ctx.knowledge.lists.get('freemail')?.has(a.domain)
      ? a.host.slice(0, -a.domain.length)
      : a.host;
    const host = foldText(own, ctx.knowledge.folding);
    const lookalike = lookalikeWords(host, words.lookalike, ctx.knowledge.lookalike);
    const containsBrand = words.brand.some((w) => hasBrandWord(host, w));
    if (lookalike.length || containsBrand) hits.push({ evidence: fromLine(ctx), params: { domain: a.host } });
  }
  return hits.slice(0, MAX_HITS);
};

/** The brand, or an ending of the brand's own domains (".co.jp", ".com"), in the part before the @. */
const brandInLocalPart: Detector<'brand-in-local-part'> = (ctx) => {
  const words = watchedWords(ctx.knowledge.merchants);
  const endings = ctx.knowledge.merchants.flatMap((m) => m.senderDomains.map((d) => d.slice(d.indexOf('.'))));
  const hits: Hit[] = [];
  for (const a of ctx.fromAddresses) {
    if (!a.address.includes('@') || isOfficialSender(ctx, a.domain)) continue;
    const local = foldText(a.address.slice(0, a.address.lastIndexOf('@')), ctx.knowledge.folding);
    const hit =
      words.brand.some((w) => hasBrandWord(local, w)) ||
      lookalikeWords(local, words.lookalike, ctx.knowledge.lookalike).length > 0 ||
      endings.some((e) => local.endsWith(e));
    if (hit) hits.push({ evidence: fromLine(ctx), params: { local } });
  }
  return hits.slice(0, MAX_HITS);
};

/** Reply-To, Sender or Return-Path on a domain that is neither the From domain nor the brand's own. */
const relatedDomainMismatch: Detector<'related-domain-mismatch'> = (ctx, p) => {
  if (!ctx.merchant) return [];
  const official = allOfficial(ctx);
  const fromDomains = new Set(ctx.fromAddresses.filter((a) => !a.inName).map((a) => a.domain));
  const hits: Hit[] = [];
  const check = (field: string, address: string | null | undefined) => {
    if (!address || !address.includes('@')) return;
    const d = registrableDomain(address.slice(address.lastIndexOf('@') + 1));
    if (!d || fromDomains.has(d) || official.has(d)) return;
    hits.push({
      evidence: `${field}: ${address} (From: ${ctx.fromAddress || '(none)'})`,
      params: { field, domain: d },
    });
  };
  if (p.fields.includes('reply-to')) for (const r of ctx.mail.replyTo) check('Reply-To', r.address);
  if (p.fields.includes('sender')) check('Sender', ctx.mail.sender?.address);
  if (p.fields.includes('return-path')) check('Return-Path', ctx.mail.returnPath);
  return hits;
};

const freemail: Detector<'freemail'> = (ctx, p) => {
  if (!ctx.merchant) return [];
  const list = ctx.knowledge.lists.get(p.list);
  if (!list) throw new Error(`list ${p.list} is not defined`);
  const hits: Hit[] = [];
  const fromDomains = new Set<string>();
  for (const a of ctx.fromAddresses) {
    if (!a.domain || fromDomains.has(a.domain)) continue;
    fromDomains.add(a.domain);
    if (list.has(a.domain)) hits.push({ evidence: fromLine(ctx), params: { domain: a.domain } });
  }
  for (const r of ctx.mail.replyTo) {
    const d = registrableDomain(r.address.slice(r.address.lastIndexOf('@') + 1));
    if (d && list.has(d) && !fromDomains.has(d))
      hits.push({ evidence: `Reply-To: ${r.address}`, params: { domain: d } });
  }
  return hits.slice(0, MAX_HITS);
};

const dateZone: Detector<'date-zone'> = (ctx) => {
  if (!ctx.merchant || !ctx.mail.date) return [];
  const zone = /([+-]\d{4})\s*(\([^)]*\))?\s*$/.exec(ctx.mail.date.trim())?.[1];
  // A profile that names no usual zone (the brand's sending habits are not known) is not judged on it.
  if (!zone || !ctx.merchant.usualDateZones.length || ctx.merchant.usualDateZones.includes(zone)) return [];
  return [{ evidence: `Date: ${ctx.mail.date}`, params: { zone } }];
};

/**
 * The From address is the brand's, yet no Received line shows a server of the brand's (Amazon sends through
 * amazonses.com). A forger can add fake Received lines below the real ones, so a hit is strong and a miss is weak.
 */
const foreignRelay: Detector<'foreign-relay'> = (ctx) => {
  if (!ctx.merchant || ctx.authenticated) return [];
  if (!realAddresses(ctx).some((a) => isOfficialSender(ctx, a.domain))) return [];
  const own = new Set([...ctx.merchant.infrastructureDomains, ...ctx.merchant.senderDomains]);
  const received = ctx.mail.headers.filter((h) => h.key === 'received' && /^\s*from\s/i.test(h.value));
  if (received.length === 0) return [];
  for (const r of received) {
    const names = [...r.value.matchAll(/(?:^\s*from\s+|\()([a-z0-9.-]+\.[a-z]{2,})\b/gi)].map((m) =>
      m[1]!.toLowerCase(),
    );
    if (names.some((n) => own.has(registrableDomain(n) ?? ''))) return [];
  }
  const origin = received[received.length - 1]!.value.replace(/\s+/g, ' ');
  return [
    {
      evidence: `${fromLine(ctx)} / Received: ${origin.slice(0, 200)}`,
      params: { relay: /^\s*from\s+(\S+)/i.exec(origin)?.[1] ?? '' },
    },
  ];
};

const senderMissing: Detector<'sender-missing'> = (ctx) => {
  if (ctx.mail.headerless) return [];
  if (realAddresses(ctx).length > 0) return [];
  return [{ evidence: fromLine(ctx), params: {} }];
};

/** Who the mail says it is from, and whether the sender headers agree. */
export const senderDetectors = {
  'brand-name-foreign-domain': brandNameForeignDomain,
  'sender-lookalike-domain': senderLookalikeDomain,
  'brand-in-local-part': brandInLocalPart,
  'related-domain-mismatch': relatedDomainMismatch,
  freemail,
  'date-zone': dateZone,
  'foreign-relay': foreignRelay,
  'sender-missing': senderMissing,
} satisfies Partial<DetectorRegistry>;
