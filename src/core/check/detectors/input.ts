import type { Detector, DetectorRegistry } from './types.ts';

const headerless: Detector<'headerless'> = (ctx) =>
  ctx.mail.headerless ? [{ evidence: '(no header block)', params: {} }] : [];

const partial: Detector<'partial'> = (ctx) =>
  ctx.mail.notes
    .filter((n) => n.code !== 'charset-repaired')
    .map((n) => ({
      evidence: Object.entries(n)
        .map(([k, v]) => `${k}=${v}`)
        .join(' '),
      params: { ...n },
    }));

const charsetRepaired: Detector<'charset-repaired'> = (ctx) =>
  ctx.mail.notes
    .filter((n) => n.code === 'charset-repaired')
    .slice(0, 1)
    .map((n) => ({
      evidence: `${n.code === 'charset-repaired' ? n.from : ''} → ${n.code === 'charset-repaired' ? n.to : ''}`,
      params: {},
    }));

/** What the input itself was: no headers, cut at a limit, charset repaired. */
export const inputDetectors = {
  headerless,
  partial,
  'charset-repaired': charsetRepaired,
} satisfies Partial<DetectorRegistry>;
