import { registrableDomain } from './domain.ts';
import { providerById, providerOfDomain, type ProviderId } from './providers.ts';
import type { HeaderField } from './types.ts';

export type AuthResultValue =
  'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'temperror' | 'permerror' | 'policy' | 'other';

export interface MethodResult {
  method: 'dmarc' | 'dkim' | 'spf' | 'arc' | 'other';
  result: AuthResultValue;
  /** header.from for DMARC, header.d / header.i for DKIM, smtp.mailfrom for SPF: the domain the result is about. */
  domain: string | null;
}

export interface AuthResults {
  authservId: string;
  /** Which header carried it and where (0-based index among all header fields, top first). */
  header: 'authentication-results' | 'arc-authentication-results';
  index: number;
  raw: string;
  results: MethodResult[];
}

export interface AuthAssessment {
  /** The results of the receiving provider, if one could be trusted; null when none could. */
  trusted: AuthResults | null;
  /** Results written before the mail reached the provider, or by another authserv-id: shown, never believed. */
  ignored: AuthResults[];
  /** Why: the receiving provider wrote it at its entry hop, or its id is one the user configured. */
  trustReason: 'entry-hop' | 'configured' | null;
  /** The `by` host of the hop where the mail entered the receiving provider, if one was found. */
  receivedBy: string | null;
}

function stripComments(s: string): string {
  let out = '';
  let depth = 0;
  for (const ch of s) {
    if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0) out += ch;
  }
  return out;
}

function normaliseResult(r: string): AuthResultValue {
  const v = r.toLowerCase();
  return (
    (['pass', 'fail', 'softfail', 'neutral', 'none', 'temperror', 'permerror', 'policy'] as const).find(
      (x) => x === v,
    ) ?? (v === 'hardfail' ? 'fail' : 'other')
  );
}

function domainOf(value: string | undefined): string | null {
  if (!value) return null;
  const v = value.replace(/^"|"$/g, '').trim().toLowerCase();
  const at = v.lastIndexOf('@');
  const d = (at >= 0 ? v.slice(at + 1) : v).replace(/[>;]$/, '');
  return /^[a-z0-9.-]+\.[a-z]{2,}$/.test(d) ? d : null;
}

/** `ptype.property=value` pairs of one result (or of a property-only part that continues it). */
function properties(text: string, into: Map<string, string>): void {
  for (const pm of text.matchAll(/([a-z]+\.[a-z-]+)\s*=\s*("[^"]*"|[^\s;]+)/gi))
    if (!into.has(pm[1]!.toLowerCase())) into.set(pm[1]!.toLowerCase(), pm[2]!);
}

function domainOfResult(method: MethodResult['method'], props: Map<string, string>): string | null {
  return method === 'dmarc'
    ? domainOf(props.get('header.from'))
    : method === 'dkim'
      ? domainOf(props.get('header.d') ?? props.get('header.i'))
      : method === 'spf'
        ? domainOf(props.get('smtp.mailfrom') ?? props.get('smtp.helo'))
        : null;
}

/**
 * One Authentication-Results (or ARC-Authentication-Results) value. Shapes RFC 8601 does not foresee are read
 * too: Exchange Online writes no authserv-id (`spf=pass (sender IP is …) smtp.mailfrom=…; dkim=…`; its 2017
 * form put `hotmail.com;` after each method), and Yahoo! JAPAN puts a result's property after its own
 * semicolon (`dkim=pass (ok); header.i=@amazon.co.jp`). A missing authserv-id is the empty string.
 */
export function parseAuthResults(
  value: string,
  header: AuthResults['header'],
  index: number,
): AuthResults | null {
  let v = stripComments(value).replace(/\s+/g, ' ').trim();
  if (header === 'arc-authentication-results') v = v.replace(/^\s*i\s*=\s*\d+\s*;/, '').trim();
  const parts = v
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) return null;
  const resultPart = /^([a-z][a-z0-9_.-]*)\s*=\s*([a-z]+)\b(.*)$/i;
  const unnamed = resultPart.test(parts[0]!) && !/^[a-z]+\.[a-z-]+\s*=/i.test(parts[0]!);
  let authservId = unnamed ? '' : parts.shift()!.split(/\s+/)[0]!.toLowerCase();
  const results: MethodResult[] = [];
  let last: { result: MethodResult; props: Map<string, string> } | null = null;
  for (const p of parts) {
    if (/^[a-z]+\.[a-z-]+\s*=/i.test(p)) {
      if (last) {
        properties(p, last.props);
        last.result.domain = domainOfResult(last.result.method, last.props);
      }
      continue;
    }
    const m = resultPart.exec(p);
    if (!m) {
      // Exchange's 2017 form names the receiver between the methods: the id it did not write first.
      if (unnamed && !authservId && /^[a-z0-9.-]+\.[a-z]{2,}$/i.test(p)) authservId = p.toLowerCase();
      continue;
    }
    const name = m[1]!.toLowerCase();
    const props = new Map<string, string>();
    properties(m[3]!, props);
    const method = name === 'dmarc' || name === 'dkim' || name === 'spf' || name === 'arc' ? name : 'other';
    const result: MethodResult = {
      method,
      result: normaliseResult(m[2]!),
      domain: domainOfResult(method, props),
    };
    results.push(result);
    last = { result, props };
  }
  return { authservId, header, index, raw: value.replace(/\s+/g, ' ').trim(), results };
}

interface Hop {
  index: number;
  from: string | null;
  by: string | null;
  /** IPv4 addresses written in the `from` clause (the name itself and its comments). */
  fromIps: string[];
  /** The host of the `id <…@host>` the receiving side wrote after its `by` (its own queue id), if any. */
  idHost: string | null;
}

function parseHop(value: string, index: number): Hop {
  const from = /^\s*from\s+([^\s(;]+)/i.exec(value)?.[1] ?? null;
  const by = /\bby\s+([^\s(;]+)/i.exec(value)?.[1] ?? null;
  const clause = /^\s*from\s+([\s\S]*?)(?:\bby\s|$)/i.exec(value)?.[1] ?? '';
  return {
    index,
    from: from?.toLowerCase().replace(/\.$/, '') ?? null,
    by: by?.toLowerCase().replace(/\.$/, '') ?? null,
    fromIps: [...clause.matchAll(/(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?![\d.])/g)].map((m) => m[1]!),
    idHost:
      /\bby\s[\s\S]*?\bid\s+<[^<>@\s]+@([a-z0-9.-]+\.[a-z]{2,})>/i.exec(value)?.[1]?.toLowerCase() ?? null,
  };
}

function orgOf(host: string | null): string | null {
  if (!host) return null;
  return registrableDomain(host) ?? null;
}

function isPrivateIp(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number) as [number, number];
  return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || a === 0;
}

/** Where a hop's sending side stands relative to the receiving provider. */
function sideOf(hop: Hop, provider: ReadonlySet<string>): 'inside' | 'outside' | 'unknown' {
  if (!hop.from) return 'unknown';
  const org = orgOf(hop.from);
  if (org) return provider.has(org) ? 'inside' : 'outside';
  // A bare address or an internal name: outside if a public address is written for it. Yahoo! Mail writes
  // `from 127.0.0.1 (EHLO relay.example) (203.0.113.9)`, its internal hops `from 10.1.2.3`.
  return hop.fromIps.some((ip) => !isPrivateIp(ip)) ? 'outside' : 'unknown';
}

/** Headers a receiving provider writes beside its Received line. A sender's own headers end a provider block. */
function isTraceHeader(key: string): boolean {
  return (
    key === 'received' ||
    key === 'received-spf' ||
    key === 'return-path' ||
    key === 'delivered-to' ||
    key === 'authentication-results' ||
    key.startsWith('arc-') ||
    key.startsWith('x-')
  );
}

export interface AuthOptions {
  /** Authserv-ids the user configured (`--authserv-id`), or mamori's own live results. */
  configuredIds?: readonly string[];
  /** The user's mail provider: its domains count as the receiver's wherever its entry hop is. */
  provider?: ProviderId | null;
}

/**
 * Which Authentication-Results to believe. Anyone can write such a header into the mail they send; only the ones
 * the receiving provider added count. Walking Received from the top, the provider's own hops come first; the
 * first hop whose sending side is outside the provider is the entry hop, and its `by` host names the provider
 * (registrable domain; `MAIL_PROVIDERS` joins the domains of one provider, such as me.com and icloud.com).
 * Believed: results whose authserv-id is on the provider's domain (or configured, or, for Exchange, unnamed with
 * its stamp), standing at the entry hop — above or below its Received line — in the provider's block of trace
 * headers. Results below an earlier hop were in the mail before it reached the provider: shown, never believed,
 * like results from any other authserv-id. When several believed headers report a method, the topmost wins:
 * a provider prepends, so a sender's copy further down cannot outvote it.
 */
export function assessAuth(headers: HeaderField[], options: AuthOptions = {}): AuthAssessment {
  const all: AuthResults[] = [];
  headers.forEach((h, i) => {
    if (h.key === 'authentication-results' || h.key === 'arc-authentication-results') {
      const r = parseAuthResults(h.value, h.key, i);
      if (r) all.push(r);
    }
  });
  const configured = (options.configuredIds ?? []).map((s) => s.toLowerCase());
  const declared = options.provider ? providerById(options.provider) : null;
  const hops = headers.flatMap((h, i) => (h.key === 'received' ? [parseHop(h.value, i)] : []));

  let provider: Set<string> | null = null;
  let providerProfile: ReturnType<typeof providerOfDomain> = null;
  let entry: Hop | null = null;
  for (const hop of hops) {
    const byOrg = orgOf(hop.by);
    if (provider === null && byOrg) {
      providerProfile = providerOfDomain(byOrg);
      // The user's own provider counts as the receiver's too (the position rules stay the same).
      provider = new Set([byOrg, ...(providerProfile?.domains ?? []), ...(declared?.domains ?? [])]);
    }
    if (provider && sideOf(hop, provider) === 'outside') {
      entry = hop;
      break;
    }
  }
  // The entry hop's line is the receiver's own writing, after its `by`: the host of its queue id (`id <…@host>`) is
  // the receiver's too (a Japanese ISP's MX host and its Authentication-Results id can be on two of its domains).
  const idOrg = entry ? orgOf(entry.idHost) : null;
  if (provider && idOrg && !provider.has(idOrg)) provider = new Set([...provider, idOrg]);
  const unnamedFrom = providerProfile?.unnamedResults ?? declared?.unnamedResults;
  // Anything below the hop before the entry hop was written before the mail reached the provider. An "earlier"
  // hop into the provider itself cannot be real (the entry hop is the first one into it): the sender wrote it
  // and whatever stands between it and the entry hop, so then only results above the entry hop count.
  const earlier = entry ? hops.find((h) => h.index > entry.index) : undefined;
  const forgedEarlier = earlier !== undefined && provider !== null && provider.has(orgOf(earlier.by) ?? '');
  const limit = entry ? (forgedEarlier ? entry.index : (earlier?.index ?? headers.length)) : -1;
  const stamped =
    unnamedFrom !== undefined && headers.some((h) => h.key === unnamedFrom.stampHeader && /\S/.test(h.value));

  const isConfigured = (r: AuthResults) =>
    r.authservId !== '' && configured.some((c) => r.authservId === c || r.authservId.endsWith('.' + c));
  const isProviders = (r: AuthResults) =>
    provider !== null &&
    (r.authservId === ''
      ? stamped
      : provider.has(orgOf(r.authservId) ?? r.authservId) || provider.has(r.authservId));
  // Configured ids stand wherever the user's provider puts them (some append at the end of the header block),
  // but never below an earlier hop; with no recognisable entry hop, they are the only ones believed.
  const configuredLimit = earlier?.index ?? headers.length;
  const candidates = all.filter((r) =>
    isConfigured(r) ? r.index < configuredLimit : entry !== null && r.index < limit && isProviders(r),
  );

  const used = new Set<AuthResults>();
  let trusted: AuthResults | null = null;
  let trustReason: AuthAssessment['trustReason'] = null;
  // The first that reports an authentication method leads (iCloud's first header is BIMI, which proves nothing).
  const primary =
    candidates.find((r) =>
      r.results.some((x) => x.method === 'dmarc' || x.method === 'dkim' || x.method === 'spf'),
    ) ?? candidates[0];
  if (primary) {
    trustReason = isConfigured(primary) ? 'configured' : 'entry-hop';
    const sameKind = (r: AuthResults) => (trustReason === 'configured' ? isConfigured(r) : isProviders(r));
    used.add(primary);
    for (const r of candidates) {
      if (r === primary || !sameKind(r)) continue;
      const between = headers.slice(Math.min(primary.index, r.index) + 1, Math.max(primary.index, r.index));
      if (trustReason === 'entry-hop' && !between.every((h) => isTraceHeader(h.key))) continue;
      // A second header that gives another verdict for a method the first reported is not the provider's.
      const contradicts = r.results.some((x) =>
        primary.results.some((y) => y.method === x.method && x.method !== 'other' && y.result !== x.result),
      );
      if (!contradicts) used.add(r);
    }
    const block = [...used].sort((a, b) => a.index - b.index);
    const results: MethodResult[] = [];
    const reported = new Set<MethodResult['method']>();
    for (const r of block) {
      const mine = r.results.filter((x) => !reported.has(x.method) || x.method === 'other');
      results.push(...mine);
      for (const x of mine) if (x.method !== 'other') reported.add(x.method);
      // A header's own methods all count; a later header adds only methods no earlier one reported.
    }
    trusted = {
      ...primary,
      authservId: primary.authservId || (entry?.by ?? ''),
      results,
    };
  }
  const ignored = all.filter((r) => !used.has(r));
  return { trusted, ignored, trustReason, receivedBy: entry?.by ?? null };
}

/** The DMARC-relevant verdict for a From domain: did a result the provider vouched for pass, aligned with it? */
export function alignedPass(
  trusted: AuthResults,
  fromDomain: string,
): { pass: boolean; via: MethodResult | null } {
  const fromOrg = orgOf(fromDomain);
  const aligned = (d: string | null) => d !== null && orgOf(d) === fromOrg;
  const dmarc = trusted.results.find((r) => r.method === 'dmarc');
  if (dmarc)
    return { pass: dmarc.result === 'pass' && (dmarc.domain === null || aligned(dmarc.domain)), via: dmarc };
  const dkim = trusted.results.find((r) => r.method === 'dkim' && r.result === 'pass' && aligned(r.domain));
  if (dkim) return { pass: true, via: dkim };
  const spf = trusted.results.find((r) => r.method === 'spf' && r.result === 'pass' && aligned(r.domain));
  if (spf) return { pass: true, via: spf };
  return { pass: false, via: null };
}

/** An explicit failure the provider recorded for the From domain: DMARC fail, or no aligned pass with SPF failing. */
export function explicitFail(trusted: AuthResults, fromDomain: string): MethodResult | null {
  const fromOrg = orgOf(fromDomain);
  const dmarc = trusted.results.find((r) => r.method === 'dmarc');
  if (dmarc && (dmarc.result === 'fail' || dmarc.result === 'policy')) return dmarc;
  if (dmarc && dmarc.result === 'pass') return null;
  const dkimPass = trusted.results.some(
    (r) => r.method === 'dkim' && r.result === 'pass' && orgOf(r.domain ?? '') === fromOrg,
  );
  const spf = trusted.results.find((r) => r.method === 'spf');
  if (
    !dkimPass &&
    spf &&
    (spf.result === 'fail' || spf.result === 'softfail') &&
    (spf.domain === null || orgOf(spf.domain) === fromOrg)
  )
    return spf;
  return null;
}

/**
 * The receiving provider's own spam verdict (`MailProvider.spamVerdict`), when the mail entered that provider (its
 * entry hop's `by` host, or the top hop's when no hop comes from outside) and the provider's stamp proves the header is its own: the value, and whether the
 * provider filed the mail as spam. Null when no such verdict can be believed.
 */
export function providerSpamVerdict(
  headers: HeaderField[],
  assessment: AuthAssessment,
): { provider: ProviderId; header: string; value: number; spam: boolean } | null {
  // The entry hop's provider; when every hop is one provider's (mail between two of its tenants), the top one's.
  const top = headers.findIndex((h) => h.key === 'received');
  const org =
    orgOf(assessment.receivedBy) ?? (top >= 0 ? orgOf(parseHop(headers[top]!.value, top).by) : null);
  const provider = org ? providerOfDomain(org) : null;
  const verdict = provider?.spamVerdict;
  if (!provider || !verdict) return null;
  const stamp = provider.unnamedResults?.stampHeader;
  if (stamp && !headers.some((h) => h.key === stamp && /\S/.test(h.value))) return null;
  const field = headers.find((h) => h.key === verdict.header);
  const m = field ? /^\s*(-?\d{1,2})\s*$/.exec(field.value) : null;
  if (!m) return null;
  const value = Number(m[1]);
  return { provider: provider.id, header: verdict.header, value, spam: value >= verdict.spamAt };
}
