import { getDomain } from 'tldts';
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
  /** Results found lower down, written by whoever sent the mail: shown, never believed. */
  ignored: AuthResults[];
  /** Why the trusted one was trusted: it stands above the entry hop, or its id is one the user configured. */
  trustReason: 'above-entry' | 'configured' | null;
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
  const first = parts.shift();
  if (!first) return null;
  const authservId = first.split(/\s+/)[0]!.toLowerCase();
  const results: MethodResult[] = [];
  for (const p of parts) {
    const m = /^([a-z][a-z0-9_.-]*)\s*=\s*([a-z]+)\b(.*)$/i.exec(p);
    if (!m) continue;
    const name = m[1]!.toLowerCase();
    const props = new Map<string, string>();
    for (const pm of m[3]!.matchAll(/([a-z]+\.[a-z-]+)\s*=\s*("[^"]*"|[^\s;]+)/gi))
      props.set(pm[1]!.toLowerCase(), pm[2]!);
    const method = name === 'dmarc' || name === 'dkim' || name === 'spf' || name === 'arc' ? name : 'other';
    const domain =
      method === 'dmarc'
        ? domainOf(props.get('header.from'))
        : method === 'dkim'
          ? domainOf(props.get('header.d') ?? props.get('header.i'))
          : method === 'spf'
            ? domainOf(props.get('smtp.mailfrom') ?? props.get('smtp.helo'))
            : null;
    results.push({ method, result: normaliseResult(m[2]!), domain });
  }
  return { authservId, header, index, raw: value.replace(/\s+/g, ' ').trim(), results };
}

function receivedHosts(value: string): { from: string | null; by: string | null } {
  const from = /^\s*from\s+([^\s(;]+)/i.exec(value)?.[1] ?? null;
  const by = /\bby\s+([^\s(;]+)/i.exec(value)?.[1] ?? null;
  return {
    from: from?.toLowerCase().replace(/\.$/, '') ?? null,
    by: by?.toLowerCase().replace(/\.$/, '') ?? null,
  };
}

function orgOf(host: string | null): string | null {
  if (!host) return null;
  return getDomain(host) ?? null;
}

/**
 * Which Authentication-Results to believe. Anyone can write such a header into the mail they send; only the one
 * the receiving provider added counts. Walking Received from the top, the provider's own hops come first; the
 * first hop whose `from` is outside the provider's organisation is where the mail entered. Trusted: the topmost
 * results above that hop, or results with an authserv-id the user configured (for providers that stamp their
 * results below their Received line, where a sender's forged header would stand too). Everything else is ignored
 * and reported as such.
 */
export function assessAuth(headers: HeaderField[], configuredIds: readonly string[] = []): AuthAssessment {
  const all: AuthResults[] = [];
  headers.forEach((h, i) => {
    if (h.key === 'authentication-results' || h.key === 'arc-authentication-results') {
      const r = parseAuthResults(h.value, h.key, i);
      if (r) all.push(r);
    }
  });
  const configured = configuredIds.map((s) => s.toLowerCase());
  const receivedIdx = headers.map((h, i) => (h.key === 'received' ? i : -1)).filter((i) => i >= 0);

  let org: string | null = null;
  let entry = -1;
  for (const i of receivedIdx) {
    const { from, by } = receivedHosts(headers[i]!.value);
    const byOrg = orgOf(by);
    if (org === null && byOrg) org = byOrg;
    const fromOrg = orgOf(from);
    if (from && fromOrg && org && fromOrg !== org) {
      entry = i;
      break;
    }
    if (from && !fromOrg && !/^\[?[\d.:a-f]+\]?$/i.test(from) && org === null) {
      entry = i;
      break;
    }
  }

  let trusted: AuthResults | null = null;
  let trustReason: AuthAssessment['trustReason'] = null;
  for (const r of all) {
    if (configured.some((c) => r.authservId === c || r.authservId.endsWith('.' + c))) {
      trusted = r;
      trustReason = 'configured';
      break;
    }
    if (entry >= 0 && r.index < entry) {
      trusted = r;
      trustReason = 'above-entry';
      break;
    }
  }
  // A provider may stamp several results headers in a row (one per method): merge those of the same id.
  const used = new Set<AuthResults>();
  if (trusted) {
    const t = trusted;
    const siblings = all.filter(
      (r) =>
        r !== t &&
        r.authservId === t.authservId &&
        Math.abs(r.index - t.index) <= 6 &&
        (trustReason === 'configured' || r.index < entry),
    );
    used.add(t);
    for (const s of siblings) used.add(s);
    if (siblings.length) trusted = { ...t, results: [...t.results, ...siblings.flatMap((s) => s.results)] };
  }
  const ignored = all.filter((r) => !used.has(r));
  return { trusted, ignored, trustReason };
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
