import { registrableDomain } from '#core/mail/domain.ts';
import { alignedPass, explicitFail, providerSpamVerdict } from '#core/mail/auth.ts';
import { MAX_HITS, authLine, fromLine, isOfficialSender } from './shared.ts';
import type { Detector, DetectorRegistry, Hit } from './types.ts';

const spoofedOfficial: Detector<'spoofed-official'> = (ctx) => {
  if (!ctx.fromHost || !isOfficialSender(ctx, ctx.fromDomain) || !ctx.auth.trusted) return [];
  const fail = explicitFail(ctx.auth.trusted, ctx.fromHost);
  if (!fail) return [];
  return [
    {
      evidence: `${fromLine(ctx)} / ${authLine(ctx.auth.trusted)}`,
      params: { method: fail.method, result: fail.result, domain: ctx.fromDomain! },
    },
  ];
};

const alignedPassDetector: Detector<'aligned-pass'> = (ctx) => {
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
};

/** The mail claims a watched brand, but nothing the receiving provider vouched for says it came from that brand. */
const unverified: Detector<'unverified'> = (ctx) => {
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
};

const forgedResults: Detector<'forged-results'> = (ctx) => {
  if (ctx.authenticated) return [];
  const hits: Hit[] = [];
  for (const r of ctx.auth.ignored) {
    const pass = r.results.find(
      (x) =>
        x.result === 'pass' &&
        (x.method === 'dmarc' || x.method === 'dkim') &&
        isOfficialSender(ctx, registrableDomain(x.domain ?? '') ?? null),
    );
    if (pass)
      hits.push({ evidence: authLine(r), params: { authserv: r.authservId, domain: pass.domain ?? '' } });
  }
  return hits.slice(0, MAX_HITS);
};

/**
 * The receiving provider already filed the mail as spam (its own verdict, stamped at delivery and believed only
 * when it received the mail): the provider saw the sending servers' reputation, which mamori cannot.
 */
const providerSpam: Detector<'provider-spam'> = (ctx) => {
  if (ctx.authenticated) return [];
  const v = providerSpamVerdict(ctx.mail.headers, ctx.auth);
  if (!v?.spam) return [];
  return [{ evidence: `${v.header}: ${v.value}`, params: { provider: v.provider, value: v.value } }];
};

/** What the receiving provider vouched for (Authentication-Results), and forged results further down. */
export const authDetectors = {
  'spoofed-official': spoofedOfficial,
  'aligned-pass': alignedPassDetector,
  unverified,
  'forged-results': forgedResults,
  'provider-spam': providerSpam,
} satisfies Partial<DetectorRegistry>;
