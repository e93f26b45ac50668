import type { AuthResults } from '#core/mail/auth.ts';
import type { TextView } from '#core/text/normalize.ts';
import type { CheckContext } from '../context.ts';

/** Evidence lines kept per finding: enough to show the pattern, few enough to read. */
export const MAX_HITS = 5;

export function fromLine(ctx: CheckContext): string {
  const f = ctx.mail.from;
  if (!f) return 'From: (none)';
  return f.name ? `From: "${f.name}" <${f.address}>` : `From: <${f.address}>`;
}

export function allOfficial(ctx: CheckContext): Set<string> {
  const ms = ctx.merchant ? [ctx.merchant] : ctx.knowledge.merchants;
  return new Set(ms.flatMap((m) => [...m.senderDomains, ...m.infrastructureDomains]));
}

export function isOfficialSender(ctx: CheckContext, domain: string | null): boolean {
  if (!domain) return false;
  return ctx.knowledge.merchants.some((m) => m.senderDomains.includes(domain));
}

export function views(ctx: CheckContext, fields: readonly string[]): [string, TextView][] {
  const out: [string, TextView][] = [];
  if (fields.includes('subject')) out.push(['subject', ctx.subject]);
  if (fields.includes('body')) out.push(['body', ctx.body]);
  // An attached PDF or RTF document is read as part of the body, and its evidence says where it was found.
  if (fields.includes('body') && ctx.pdf) out.push(['pdf', ctx.pdf]);
  if (fields.includes('body') && ctx.rtf) out.push(['rtf', ctx.rtf]);
  return out;
}

export function authLine(r: AuthResults): string {
  return `Authentication-Results: ${r.raw.length > 220 ? r.raw.slice(0, 220) + '…' : r.raw}`;
}
