import { z } from 'zod';
import { getDomain } from 'tldts';
import { binaryString } from '#core/bytes.ts';
import { alignedPass, explicitFail, type AuthResults } from '#core/mail/auth.ts';
import { garbledShare } from '#core/mail/decode.ts';
import { hasSlashLookalike, shownHost } from '#core/mail/links.ts';
import {
  foldText,
  isCombining,
  isInvisible,
  originalSpan,
  quote,
  type TextView,
} from '#core/text/normalize.ts';
import {
  brandWords,
  isObfuscatedSpan,
  isOwnLink,
  lookalikeWords,
  skeleton,
  type CheckContext,
} from './context.ts';

/** One piece of evidence a detector found: the exact text it quotes, and parameters for the message. */
export interface Hit {
  evidence: string;
  params?: Record<string, string | number>;
}

export interface Detector<P> {
  params: z.ZodType<P, z.ZodTypeDef, unknown>;
  run(ctx: CheckContext, params: P): Hit[];
}

function detector<P>(
  params: z.ZodType<P, z.ZodTypeDef, unknown>,
  run: (ctx: CheckContext, params: P) => Hit[],
): Detector<P> {
  return { params, run };
}

const none = z.object({}).strict();
const MAX_HITS = 5;

function fromLine(ctx: CheckContext): string {
  const f = ctx.mail.from;
  if (!f) return 'From: (none)';
  return f.name ? `From: "${f.name}" <${f.address}>` : `From: <${f.address}>`;
}

function allOfficial(ctx: CheckContext): Set<string> {
  const ms = ctx.merchant ? [ctx.merchant] : ctx.knowledge.merchants;
  return new Set(ms.flatMap((m) => [...m.senderDomains, ...m.infrastructureDomains]));
}

function isOfficialSender(ctx: CheckContext, domain: string | null): boolean {
  if (!domain) return false;
  return ctx.knowledge.merchants.some((m) => m.senderDomains.includes(domain));
}

function views(ctx: CheckContext, fields: readonly string[]): [string, TextView][] {
  const out: [string, TextView][] = [];
  if (fields.includes('subject')) out.push(['subject', ctx.subject]);
  if (fields.includes('body')) out.push(['body', ctx.body]);
  return out;
}

function authLine(r: AuthResults): string {
  return `Authentication-Results: ${r.raw.length > 220 ? r.raw.slice(0, 220) + '…' : r.raw}`;
}

const fieldsParam = z.array(z.enum(['subject', 'body'])).min(1);

/** Phrase lists matched against subject and body, after folding. `min` distinct phrases must match. */
const phrases = detector(
  z
    .object({
      lists: z.array(z.string()).min(1),
      fields: fieldsParam,
      min: z.number().int().min(1).default(1),
      requireClaim: z.boolean().default(false),
    })
    .strict(),
  (ctx, p) => {
    if (p.requireClaim && !ctx.merchant) return [];
    const hits: Hit[] = [];
    const seen = new Set<string>();
    for (const listId of p.lists) {
      const list = ctx.knowledge.phrases.get(listId);
      if (!list) throw new Error(`phrase list ${listId} is not defined`);
      for (const [field, view] of views(ctx, p.fields)) {
        for (const ph of list.phrases) {
          if (seen.has(ph.text)) continue;
          const hay = ph.compact ? view.compact : view.norm;
          const at = hay.indexOf(ph.text);
          if (at < 0) continue;
          seen.add(ph.text);
          hits.push({
            evidence: `${field}: ${quote(view, at, at + ph.text.length, ph.compact)}`,
            params: { phrase: originalSpan(view, at, at + ph.text.length, ph.compact), field },
          });
        }
        for (const re of list.patterns) {
          re.lastIndex = 0;
          const m = re.exec(view.norm);
          if (!m || seen.has(re.source)) continue;
          seen.add(re.source);
          hits.push({
            evidence: `${field}: ${quote(view, m.index, m.index + m[0].length, false)}`,
            params: { phrase: originalSpan(view, m.index, m.index + m[0].length, false), field },
          });
        }
      }
    }
    return hits.length >= p.min
      ? hits.slice(0, MAX_HITS).map((h) => ({ ...h, params: { ...h.params, count: hits.length } }))
      : [];
  },
);

const simplifiedChinese = detector(
  z.object({ list: z.string(), minDistinct: z.number().int().min(1), fields: fieldsParam }).strict(),
  (ctx, p) => {
    if (!ctx.japanese) return [];
    const chars = ctx.knowledge.lists.get(p.list);
    if (!chars) throw new Error(`list ${p.list} is not defined`);
    const found = new Map<string, Hit>();
    for (const [field, view] of views(ctx, p.fields)) {
      const text = view.original;
      for (let i = 0; i < text.length && found.size < 20; i++) {
        const ch = text[i]!;
        if (!chars.has(ch) || found.has(ch)) continue;
        found.set(ch, {
          evidence: `${field}: …${text.slice(Math.max(0, i - 12), i + 12).replace(/\s+/g, ' ')}…`,
          params: { chars: ch, field },
        });
      }
    }
    if (found.size < p.minDistinct) return [];
    const all = [...found.keys()].join('');
    return [...found.values()].slice(0, MAX_HITS).map((h) => ({ ...h, params: { ...h.params, chars: all } }));
  },
);

/** Kana reading written right before its own kanji (「じかん時間」), or hiragana stretched with ー (「じょーほー」) before kanji. */
const kanaInjection = detector(
  z.object({ list: z.string(), min: z.number().int().min(1) }).strict(),
  (ctx, p) => {
    const readings = ctx.knowledge.lists.get(p.list);
    if (!readings) throw new Error(`list ${p.list} is not defined`);
    const hits: Hit[] = [];
    for (const [field, view] of views(ctx, ['subject', 'body'])) {
      const text = view.compact;
      for (const item of readings) {
        const [kanji, alts] = item.split(':') as [string, string];
        for (const reading of alts.split('|')) {
          const needle = reading + kanji;
          const at = text.indexOf(needle);
          if (at >= 0)
            hits.push({
              evidence: `${field}: ${quote(view, at, at + needle.length, true)}`,
              params: { pair: needle, field },
            });
        }
      }
      for (const m of text.matchAll(/[ぁ-ゖ]{1,6}ー[ぁ-ゖー]{0,6}[\u4e00-\u9fff]/gu)) {
        hits.push({
          evidence: `${field}: ${quote(view, m.index, m.index + m[0].length, true)}`,
          params: { pair: m[0], field },
        });
      }
    }
    const unique = [...new Map(hits.map((h) => [h.params!.pair, h])).values()];
    return unique.length >= p.min ? unique.slice(0, MAX_HITS) : [];
  },
);

/** Zero-width and combining characters inside words: they split a word so filters do not see it. */
const invisibleChars = detector(z.object({ min: z.number().int().min(1) }).strict(), (ctx, p) => {
  const hits: Hit[] = [];
  let count = 0;
  const sources: [string, string][] = [
    ['from', ctx.mail.from?.name ?? ''],
    ['subject', ctx.mail.subject],
    ['body', ctx.body.original],
  ];
  for (const [field, text] of sources) {
    const chars = [...text];
    let firstAt = -1;
    let n = 0;
    for (let i = 1; i < chars.length - 1; i++) {
      const c = chars[i]!;
      if (!(isInvisible(c) || isCombining(c))) continue;
      const before = chars[i - 1]!;
      // Invisible or combining marks between two letters; ordinary accents on Latin letters are left alone.
      let j = i + 1;
      while (j < chars.length && (isInvisible(chars[j]!) || isCombining(chars[j]!))) j++;
      const after = chars[j] ?? '';
      const letter = /[\p{L}\p{N}]/u;
      if (!letter.test(before) || !letter.test(after)) continue;
      if (isCombining(c) && /[\u0300-\u036F]/.test(c) && /[a-zA-Z]/.test(before)) continue;
      n++;
      if (firstAt < 0) firstAt = i;
    }
    if (n > 0) {
      count += n;
      const around = chars.slice(Math.max(0, firstAt - 8), firstAt + 16).join('');
      const shown = [...around]
        .map((c) =>
          isInvisible(c) || isCombining(c)
            ? `<U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`
            : c,
        )
        .join('');
      hits.push({ evidence: `${field}: ${shown.replace(/\s+/g, ' ')}`, params: { field, count: n } });
    }
  }
  return count >= p.min ? hits : [];
});

/** The brand written with look-alike letters, spaced out, or split by invisible characters. */
const brandObfuscation = detector(none, (ctx) => {
  const hits: Hit[] = [];
  const words = ctx.knowledge.merchants.flatMap(brandWords);
  for (const [field, view] of views(ctx, ['subject', 'body'])) {
    for (const w of new Set(words)) {
      let at = view.compact.indexOf(w);
      while (at >= 0 && hits.length < MAX_HITS) {
        const span = originalSpan(view, at, at + w.length, true);
        if (isObfuscatedSpan(span, w)) {
          hits.push({ evidence: `${field}: ${span}`, params: { written: span, field } });
        }
        at = view.compact.indexOf(w, at + w.length);
      }
    }
  }
  const name = ctx.mail.from?.name ?? '';
  const foldedName = foldText(name, ctx.knowledge.folding);
  for (const w of new Set(words)) {
    if (foldedName.includes(w) && !name.normalize('NFKC').toLowerCase().includes(w))
      hits.push({ evidence: fromLine(ctx), params: { written: name, field: 'from' } });
    else if (/(?:^|\s)(\p{L}\s){4,}\p{L}/u.test(name) && foldedName.replace(/\s/g, '').includes(w))
      hits.push({ evidence: fromLine(ctx), params: { written: name, field: 'from' } });
  }
  return hits.slice(0, MAX_HITS);
});

const mojibake = detector(z.object({ minShare: z.number().positive() }).strict(), (ctx, p) => {
  const hits: Hit[] = [];
  for (const [field, view] of views(ctx, ['subject', 'body'])) {
    const share = garbledShare(view.original);
    if (share >= p.minShare || (share > 0 && field === 'subject')) {
      const i = view.original.indexOf('\uFFFD');
      hits.push({
        evidence: `${field}: ${view.original.slice(Math.max(0, i - 15), i + 15).replace(/\s+/g, ' ')}`,
        params: { field },
      });
    }
  }
  return hits;
});

const brandNameForeignDomain = detector(none, (ctx) => {
  if (!ctx.merchant || !ctx.claimVia.includes('from-name')) return [];
  if (ctx.fromDomain && ctx.merchant.senderDomains.includes(ctx.fromDomain)) return [];
  return [
    {
      evidence: fromLine(ctx),
      params: { domain: ctx.fromDomain ?? ctx.fromAddress, brand: ctx.merchant.name },
    },
  ];
});

/** A sender domain that imitates the brand: amaz0n.co, amazon-security.jp, amazon.co.jp.evil.cn. */
const senderLookalikeDomain = detector(none, (ctx) => {
  if (!ctx.fromHost || !ctx.fromDomain || isOfficialSender(ctx, ctx.fromDomain)) return [];
  const words = ctx.knowledge.merchants.flatMap(brandWords);
  const host = foldText(ctx.fromHost, ctx.knowledge.folding);
  const lookalike = lookalikeWords(host, words);
  const containsBrand = words.some((w) => host.split(/[^a-z0-9]+/).some((label) => label.includes(w)));
  if (!lookalike.length && !containsBrand) return [];
  return [{ evidence: fromLine(ctx), params: { domain: ctx.fromHost } }];
});

const brandInLocalPart = detector(none, (ctx) => {
  if (!ctx.fromAddress.includes('@') || isOfficialSender(ctx, ctx.fromDomain)) return [];
  const local = foldText(ctx.fromAddress.slice(0, ctx.fromAddress.lastIndexOf('@')), ctx.knowledge.folding);
  const words = ctx.knowledge.merchants.flatMap(brandWords);
  const hit =
    words.some((w) => local.includes(w)) ||
    lookalikeWords(local, words).length > 0 ||
    /\.(co\.jp|com|jp)$/.test(local);
  return hit ? [{ evidence: fromLine(ctx), params: { local } }] : [];
});

/** Reply-To, Sender or Return-Path on a domain that is neither the From domain nor the brand's own. */
const relatedDomainMismatch = detector(
  z.object({ fields: z.array(z.enum(['reply-to', 'sender', 'return-path'])).min(1) }).strict(),
  (ctx, p) => {
    if (!ctx.merchant) return [];
    const official = allOfficial(ctx);
    const hits: Hit[] = [];
    const check = (field: string, address: string | null | undefined) => {
      if (!address || !address.includes('@')) return;
      const d = getDomain(address.slice(address.lastIndexOf('@') + 1));
      if (!d || d === ctx.fromDomain || official.has(d)) return;
      hits.push({
        evidence: `${field}: ${address} (From: ${ctx.fromAddress || '(none)'})`,
        params: { field, domain: d },
      });
    };
    if (p.fields.includes('reply-to')) for (const r of ctx.mail.replyTo) check('Reply-To', r.address);
    if (p.fields.includes('sender')) check('Sender', ctx.mail.sender?.address);
    if (p.fields.includes('return-path')) check('Return-Path', ctx.mail.returnPath);
    return hits;
  },
);

const freemail = detector(z.object({ list: z.string() }).strict(), (ctx, p) => {
  if (!ctx.merchant) return [];
  const list = ctx.knowledge.lists.get(p.list);
  if (!list) throw new Error(`list ${p.list} is not defined`);
  const hits: Hit[] = [];
  if (ctx.fromDomain && list.has(ctx.fromDomain))
    hits.push({ evidence: fromLine(ctx), params: { domain: ctx.fromDomain } });
  for (const r of ctx.mail.replyTo) {
    const d = getDomain(r.address.slice(r.address.lastIndexOf('@') + 1));
    if (d && list.has(d) && d !== ctx.fromDomain)
      hits.push({ evidence: `Reply-To: ${r.address}`, params: { domain: d } });
  }
  return hits;
});

const dateZone = detector(none, (ctx) => {
  if (!ctx.merchant || !ctx.mail.date) return [];
  const zone = /([+-]\d{4})\s*(\([^)]*\))?\s*$/.exec(ctx.mail.date.trim())?.[1];
  if (!zone || ctx.merchant.usualDateZones.includes(zone)) return [];
  return [{ evidence: `Date: ${ctx.mail.date}`, params: { zone } }];
});

/**
 * The From address is the brand's, yet no Received line shows a server of the brand's (Amazon sends through
 * amazonses.com). A forger can add fake Received lines below the real ones, so a hit is strong and a miss is weak.
 */
const foreignRelay = detector(none, (ctx) => {
  if (!ctx.merchant || ctx.authenticated || !isOfficialSender(ctx, ctx.fromDomain)) return [];
  const own = new Set([...ctx.merchant.infrastructureDomains, ...ctx.merchant.senderDomains]);
  const received = ctx.mail.headers.filter((h) => h.key === 'received' && /^\s*from\s/i.test(h.value));
  if (received.length === 0) return [];
  for (const r of received) {
    const names = [...r.value.matchAll(/(?:^\s*from\s+|\()([a-z0-9.-]+\.[a-z]{2,})\b/gi)].map((m) =>
      m[1]!.toLowerCase(),
    );
    if (names.some((n) => own.has(getDomain(n) ?? ''))) return [];
  }
  const origin = received[received.length - 1]!.value.replace(/\s+/g, ' ');
  return [
    {
      evidence: `${fromLine(ctx)} / Received: ${origin.slice(0, 200)}`,
      params: { relay: /^\s*from\s+(\S+)/i.exec(origin)?.[1] ?? '' },
    },
  ];
});

const senderMissing = detector(none, (ctx) => {
  if (ctx.mail.headerless) return [];
  if (ctx.fromAddress.includes('@')) return [];
  return [{ evidence: fromLine(ctx), params: {} }];
});

const spoofedOfficial = detector(none, (ctx) => {
  if (!ctx.fromHost || !isOfficialSender(ctx, ctx.fromDomain) || !ctx.auth.trusted) return [];
  const fail = explicitFail(ctx.auth.trusted, ctx.fromHost);
  if (!fail) return [];
  return [
    {
      evidence: `${fromLine(ctx)} / ${authLine(ctx.auth.trusted)}`,
      params: { method: fail.method, result: fail.result, domain: ctx.fromDomain! },
    },
  ];
});

const alignedPassDetector = detector(none, (ctx) => {
  if (!ctx.authenticated || !ctx.auth.trusted) return [];
  const { via } = alignedPass(ctx.auth.trusted, ctx.fromHost!);
  return [
    {
      evidence: authLine(ctx.auth.trusted),
      params: {
        authserv: ctx.auth.trusted.authservId,
        method: via?.method ?? 'dmarc',
        domain: ctx.fromDomain!,
      },
    },
  ];
});

/** The mail claims a watched brand, but nothing the receiving provider vouched for says it came from that brand. */
const unverified = detector(none, (ctx) => {
  if (!ctx.merchant || ctx.authenticated) return [];
  if (
    ctx.auth.trusted &&
    ctx.fromHost &&
    isOfficialSender(ctx, ctx.fromDomain) &&
    explicitFail(ctx.auth.trusted, ctx.fromHost)
  )
    return [];
  const reason = ctx.mail.headerless
    ? 'no-headers'
    : !ctx.auth.trusted
      ? 'no-trusted-results'
      : isOfficialSender(ctx, ctx.fromDomain)
        ? 'no-aligned-pass'
        : 'foreign-domain';
  const evidence = ctx.mail.headerless
    ? '(pasted text: no headers)'
    : ctx.auth.trusted
      ? `${fromLine(ctx)} / ${authLine(ctx.auth.trusted)}`
      : `${fromLine(ctx)} / (no Authentication-Results from the receiving provider)`;
  return [{ evidence, params: { reason, brand: ctx.merchant.name } }];
});

const forgedResults = detector(none, (ctx) => {
  if (ctx.authenticated) return [];
  const hits: Hit[] = [];
  for (const r of ctx.auth.ignored) {
    const pass = r.results.find(
      (x) =>
        x.result === 'pass' &&
        (x.method === 'dmarc' || x.method === 'dkim') &&
        isOfficialSender(ctx, getDomain(x.domain ?? '') ?? null),
    );
    if (pass)
      hits.push({ evidence: authLine(r), params: { authserv: r.authservId, domain: pass.domain ?? '' } });
  }
  return hits.slice(0, MAX_HITS);
});

const clickable = (ctx: CheckContext) =>
  ctx.links.filter((l) => l.kind === 'anchor' || l.kind === 'text' || l.kind === 'form');
const linkEvidence = (text: string, target: string) =>
  text && text !== target ? `「${text.slice(0, 80)}」 → ${target.slice(0, 200)}` : target.slice(0, 200);

const linkTextMismatch = detector(none, (ctx) => {
  const hits: Hit[] = [];
  for (const l of ctx.links) {
    if (l.kind !== 'anchor' || !l.host) continue;
    const shown = shownHost(l.text);
    if (!shown) continue;
    const shownDomain = getDomain(shown);
    if (!shownDomain || shownDomain === l.domain) continue;
    if (isOwnLink(ctx, shownDomain) && isOwnLink(ctx, l.domain)) continue;
    hits.push({
      evidence: linkEvidence(l.text, l.target),
      params: { shown: shownDomain, actual: l.domain ?? l.host },
    });
  }
  return hits.slice(0, MAX_HITS);
});

const linkLookalike = detector(none, (ctx) => {
  const words = ctx.knowledge.merchants.flatMap(brandWords);
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
      : labels.some((lb) => words.some((w) => lb.includes(w) || skeleton(lb).includes(w)))
        ? 'brand-in-domain'
        : lookalikeWords(folded, words).length ||
            (l.unicodeHost !== l.host && words.some((w) => folded.includes(w)))
          ? 'lookalike'
          : null;
    if (kind)
      hits.push({
        evidence: linkEvidence(l.text, l.target),
        params: { host: l.unicodeHost ?? l.host, kind },
      });
  }
  return hits.slice(0, MAX_HITS);
});

const linkIp = detector(none, (ctx) =>
  ctx.links
    .filter((l) => l.ip && l.kind !== 'image')
    .slice(0, MAX_HITS)
    .map((l) => ({ evidence: linkEvidence(l.text, l.target), params: { host: l.host ?? '' } })),
);

const linkUserinfo = detector(none, (ctx) =>
  ctx.links
    .filter((l) => l.userinfo || hasSlashLookalike(l.target))
    .slice(0, MAX_HITS)
    .map((l) => ({
      evidence: linkEvidence(l.text, l.target),
      params: { host: l.host ?? '', trick: l.userinfo ? 'userinfo' : 'slash' },
    })),
);

const linkInList = detector(
  z.object({ list: z.string(), match: z.enum(['domain', 'tld']) }).strict(),
  (ctx, p) => {
    const list = ctx.knowledge.lists.get(p.list);
    if (!list) throw new Error(`list ${p.list} is not defined`);
    const hits: Hit[] = [];
    const seen = new Set<string>();
    for (const l of clickable(ctx)) {
      if (!l.domain || isOwnLink(ctx, l.domain) || seen.has(l.domain)) continue;
      const key = p.match === 'domain' ? l.domain : l.domain.slice(l.domain.lastIndexOf('.') + 1);
      if (!list.has(key)) continue;
      seen.add(l.domain);
      hits.push({ evidence: linkEvidence(l.text, l.target), params: { domain: l.domain, tld: key } });
    }
    return hits.slice(0, MAX_HITS);
  },
);

const linkPunycode = detector(none, (ctx) =>
  clickable(ctx)
    .filter((l) => l.host?.split('.').some((x) => x.startsWith('xn--')) && !isOwnLink(ctx, l.domain))
    .slice(0, MAX_HITS)
    .map((l) => ({
      evidence: linkEvidence(l.text, l.target),
      params: { host: l.host!, unicode: l.unicodeHost ?? '' },
    })),
);

/** The mail presents itself as the brand, yet its links lead to other sites. */
const linkOffBrand = detector(z.object({ ignore: z.array(z.string()).default([]) }).strict(), (ctx, p) => {
  if (!ctx.merchant) return [];
  const foreign = new Map<string, Hit>();
  for (const l of clickable(ctx)) {
    if (!l.domain || isOwnLink(ctx, l.domain) || p.ignore.includes(l.domain) || foreign.has(l.domain))
      continue;
    foreign.set(l.domain, { evidence: linkEvidence(l.text, l.target), params: { domain: l.domain } });
  }
  const hits = [...foreign.values()];
  return hits.slice(0, MAX_HITS).map((h) => ({
    ...h,
    params: { ...h.params, count: hits.length, domains: [...foreign.keys()].slice(0, 8).join(', ') },
  }));
});

const cdnImageForeignSender = detector(none, (ctx) => {
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
});

const bodyForm = detector(none, (ctx) =>
  (ctx.html?.forms ?? []).slice(0, MAX_HITS).map((f) => ({
    evidence: `<form action="${f.action.slice(0, 160)}" method="${f.method}"> ${f.inputs.slice(0, 8).join(', ')}`,
    params: { action: f.action.slice(0, 160), inputs: f.inputs.slice(0, 8).join(', ') },
  })),
);

const extOf = (name: string) => (/\.([a-z0-9]{1,6})$/i.exec(name)?.[1] ?? '').toLowerCase();

const attachmentExt = detector(
  z.object({ extensions: z.array(z.string()).min(1), mimeTypes: z.array(z.string()).default([]) }).strict(),
  (ctx, p) =>
    ctx.mail.attachments
      .filter((a) => p.extensions.includes(extOf(a.filename)) || p.mimeTypes.includes(a.mimeType))
      .slice(0, MAX_HITS)
      .map((a) => ({
        evidence: `${a.filename || '(no name)'} (${a.mimeType}, ${a.size} bytes)`,
        params: { name: a.filename, type: a.mimeType },
      })),
);

const attachmentHtml = detector(none, (ctx) => {
  const hits: Hit[] = [];
  for (const a of ctx.mail.attachments) {
    if (!a.content || !(/html/.test(a.mimeType) || /\.s?html?$|\.xhtml$/i.test(a.filename))) continue;
    const html = new TextDecoder('utf-8').decode(a.content);
    const form = /<form\b[^>]*?action\s*=\s*["']?([^"'\s>]*)/i.exec(html);
    const script = /<script\b|\bon(load|submit|click)\s*=|window\.location|document\.write|atob\(/i.exec(
      html,
    );
    const refresh = /http-equiv\s*=\s*["']?refresh/i.test(html);
    if (!form && !script && !refresh) continue;
    const what = [
      form ? `form → ${form[1] || '(same page)'}` : '',
      script ? 'script' : '',
      refresh ? 'redirect' : '',
    ]
      .filter(Boolean)
      .join(', ');
    hits.push({
      evidence: `${a.filename || '(no name)'}: ${what}`,
      params: { name: a.filename, action: form?.[1] ?? '', what },
    });
  }
  return hits.slice(0, MAX_HITS);
});

/** A PDF carries the message; its link targets are read from the file without rendering it. */
const attachmentPdf = detector(none, (ctx) => {
  const hits: Hit[] = [];
  for (const a of ctx.mail.attachments) {
    if (a.mimeType !== 'application/pdf' && extOf(a.filename) !== 'pdf') continue;
    const text = a.content ? binaryString(a.content.subarray(0, 2 * 1024 * 1024)) : '';
    const uris = [...text.matchAll(/\/URI\s*\(([^)]{1,300})\)/g)].map((m) => m[1]!).slice(0, 5);
    hits.push({
      evidence: `${a.filename || '(no name)'}${uris.length ? ': ' + uris.join(' , ') : ''}`,
      params: { name: a.filename, links: uris.length },
    });
  }
  return hits.slice(0, MAX_HITS);
});

const orderUnknown = detector(none, (ctx) => {
  if (!ctx.orders?.knows || ctx.orderIds.length === 0) return [];
  const cov = ctx.orders.coverage;
  return ctx.orderIds
    .filter((id) => !ctx.orders!.has(id))
    .slice(0, MAX_HITS)
    .map((id) => ({ evidence: id, params: { orderId: id, from: cov?.from ?? '', to: cov?.to ?? '' } }));
});

const orderKnown = detector(none, (ctx) => {
  if (!ctx.orders?.knows) return [];
  return ctx.orderIds
    .filter((id) => ctx.orders!.has(id))
    .slice(0, MAX_HITS)
    .map((id) => ({ evidence: id, params: { orderId: id } }));
});

const headerless = detector(none, (ctx) =>
  ctx.mail.headerless ? [{ evidence: '(no header block)', params: {} }] : [],
);

const partial = detector(none, (ctx) =>
  ctx.mail.notes
    .filter((n) => n.code !== 'charset-repaired')
    .map((n) => ({
      evidence: Object.entries(n)
        .map(([k, v]) => `${k}=${v}`)
        .join(' '),
      params: { ...n } as Record<string, string | number>,
    })),
);

const charsetRepaired = detector(none, (ctx) =>
  ctx.mail.notes
    .filter((n) => n.code === 'charset-repaired')
    .slice(0, 1)
    .map((n) => ({
      evidence: `${n.code === 'charset-repaired' ? n.from : ''} → ${n.code === 'charset-repaired' ? n.to : ''}`,
      params: {},
    })),
);

/** Every detector a rule may name. Closed: a rule naming another fails validation. */
export const detectors: Record<string, Detector<never>> = {
  phrases,
  'simplified-chinese': simplifiedChinese,
  'kana-injection': kanaInjection,
  'invisible-chars': invisibleChars,
  'brand-obfuscation': brandObfuscation,
  mojibake,
  'charset-repaired': charsetRepaired,
  'brand-name-foreign-domain': brandNameForeignDomain,
  'sender-lookalike-domain': senderLookalikeDomain,
  'brand-in-local-part': brandInLocalPart,
  'related-domain-mismatch': relatedDomainMismatch,
  freemail,
  'date-zone': dateZone,
  'sender-missing': senderMissing,
  'foreign-relay': foreignRelay,
  'spoofed-official': spoofedOfficial,
  'aligned-pass': alignedPassDetector,
  unverified,
  'forged-results': forgedResults,
  'link-text-mismatch': linkTextMismatch,
  'link-lookalike': linkLookalike,
  'link-ip': linkIp,
  'link-userinfo': linkUserinfo,
  'link-in-list': linkInList,
  'link-punycode': linkPunycode,
  'link-off-brand': linkOffBrand,
  'cdn-image-foreign-sender': cdnImageForeignSender,
  'body-form': bodyForm,
  'attachment-ext': attachmentExt,
  'attachment-html': attachmentHtml,
  'attachment-pdf': attachmentPdf,
  'order-unknown': orderUnknown,
  'order-known': orderKnown,
  headerless,
  partial,
} as unknown as Record<string, Detector<never>>;
